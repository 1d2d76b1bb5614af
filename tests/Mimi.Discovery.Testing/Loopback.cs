using System.Net;
using System.Net.Sockets;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>Small helpers for tests that run real servers on this machine.</summary>
public static class Loopback
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>What a client does with a 503 or a change not yet visible on another replica: retry for a few seconds.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception) when (attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 100 ms; fails the test after <paramref name="timeout"/>, saying what it saw.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting: {describe?.Invoke() ?? "the condition never held"}.");
            }

            await Task.Delay(100);
        }
    }
}
