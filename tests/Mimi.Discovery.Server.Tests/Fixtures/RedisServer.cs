using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>A real redis-server on a free loopback port, which a test may stop and start again on the same port.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; } = Loopback.FreePort();

    public string Configuration => $"127.0.0.1:{Port}";

    public Task InitializeAsync() => StartAsync();

    public async Task StartAsync()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh, which installs it.");
        }

        _process = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", $"--bind 127.0.0.1 --port {Port} --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on {Port}.");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing answers, as a stalled Redis.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Thaws a paused server (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public Task DisposeAsync() => StopAsync();

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process!.Id}");
        await kill.WaitForExitAsync();
    }
}
