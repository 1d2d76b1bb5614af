namespace Mimi.Discovery.Testing;

/// <summary>Small helpers for tests that run real servers on this machine.</summary>
public static class Loopback
{
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
