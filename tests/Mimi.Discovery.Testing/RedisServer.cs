using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Mimi.Discovery.Testing;

/// <summary>
/// A real Redis: taken from MIMI_TEST_REDIS (host:port) when set, otherwise redis-server started without persistence on
/// a free loopback port. A local server (<see cref="StartLocalAsync"/> always gives one) can be stopped, paused and
/// started again on the same port, to play a crash, a stall or an outage.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private readonly bool _alwaysLocal;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private int _port;

    public RedisServer()
        : this(alwaysLocal: false)
    {
    }

    private RedisServer(bool alwaysLocal) => _alwaysLocal = alwaysLocal;

    /// <summary>host:port of the server: a StackExchange.Redis configuration (Redis:Configuration).</summary>
    public string EndPoint { get; private set; } = "";

    /// <summary>Starts a server of its own, whatever MIMI_TEST_REDIS says (for tests that stop or pause it, or share it between service instances).</summary>
    public static async Task<RedisServer> StartLocalAsync()
    {
        var server = new RedisServer(alwaysLocal: true);
        await server.InitializeAsync();
        return server;
    }

    public async Task InitializeAsync()
    {
        if (!_alwaysLocal && Environment.GetEnvironmentVariable("MIMI_TEST_REDIS") is { Length: > 0 } given)
        {
            EndPoint = given;
            return;
        }

        if (FindOnPath("redis-server") is null)
        {
            throw new InvalidOperationException("redis-server is not installed. Run ./test.sh, which installs it, or set MIMI_TEST_REDIS=host:port.");
        }

        _port = LoopbackPorts.FreeTcpPort();
        EndPoint = $"127.0.0.1:{_port}";
        await StartAsync();
    }

    /// <summary>
    /// Connects a new multiplexer, as a service replica would: it keeps reconnecting while the server is away. Unless
    /// told the server is down, waits until the connection is up, so a test's first decision meets a live Redis.
    /// </summary>
    public async Task<ConnectionMultiplexer> ConnectAsync(Action<ConfigurationOptions>? configure = null, bool serverIsDown = false)
    {
        var options = ConfigurationOptions.Parse(EndPoint);
        options.AbortOnConnectFail = false;
        options.AllowAdmin = true;
        options.ConnectTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(200);
        configure?.Invoke(options);
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!serverIsDown && !connection.IsConnected)
        {
            if (DateTime.UtcNow > deadline)
            {
                await connection.DisposeAsync();
                throw new InvalidOperationException($"Could not connect to Redis at {EndPoint}.");
            }

            await Task.Delay(50);
        }

        return connection;
    }

    /// <summary>Starts (or starts again, on the same port) the local server and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the local server, as a crash would.</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Only a server started here can be stopped.");
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Freezes the local server (SIGSTOP): connections stay open but nothing answers.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Thaws a paused server (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await StopAsync();
        }
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("Only a server started here can be signalled.");
        using var kill = Process.Start("kill", $"-{signal} {process.Id}");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} failed with {kill.ExitCode}.");
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static string? FindOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, file))
            .FirstOrDefault(File.Exists);
}
