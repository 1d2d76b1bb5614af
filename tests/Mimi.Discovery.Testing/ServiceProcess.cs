using System.Diagnostics;
using System.Text;

namespace Mimi.Discovery.Testing;

/// <summary>
/// The service as a process of its own (<c>dotnet Mimi.Discovery.Server.dll</c>), configured through its environment
/// only (none of the test run's ASP.NET Core variables inherited): the published output run the way the Dockerfile and
/// deploy/ run it, or the build output on a loopback port for tests that kill it the hard way (SIGKILL, nothing flushed
/// or stopped) and start it again on the same data directory.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable, IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ServiceProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The base address given to <see cref="StartAsync"/>; empty for <see cref="Start"/>.</summary>
    public string Url { get; }

    public string StandardOutput => Read(_stdout);

    public string StandardError => Read(_stderr);

    /// <summary>Everything the process wrote so far, for failure messages.</summary>
    public string Output => StandardOutput + StandardError;

    /// <param name="directory">The folder holding the service (the working directory, as in the image).</param>
    /// <param name="environment">The process's settings.</param>
    /// <param name="wrapper">A command the service runs under (its last argument is followed by <c>dotnet …</c>).</param>
    public static ServiceProcess Start(string directory, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? wrapper = null) =>
        Launch(directory, environment, wrapper, url: "");

    /// <summary>
    /// Starts the build output on <paramref name="port"/> over <paramref name="dataDirectory"/>, with
    /// <paramref name="settings"/> (configuration keys) on top of the test defaults, and waits until it is ready.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, int port, IDictionary<string, string>? settings = null)
    {
        var url = $"http://127.0.0.1:{port}";
        var all = new Dictionary<string, string>
        {
            ["Urls"] = url,
            ["Storage:DataDirectory"] = dataDirectory,
            ["Authority:Issuer"] = url,
            ["Log:Origin"] = "localhost/test-log",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Telemetry:Metrics:ManagementUrl"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        Directory.CreateDirectory(dataDirectory);
        var environment = all.ToDictionary(s => "ASPNETCORE_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        var service = Launch(AppContext.BaseDirectory, environment, wrapper: null, url);
        try
        {
            await service.WaitUntilAnsweringAsync(new Uri(url), "/readyz");
        }
        catch
        {
            service.Dispose();
            throw;
        }

        return service;
    }

    /// <summary>
    /// Starts the built CLI (<c>dotnet mimi.dll ARGUMENTS</c>) in <paramref name="workingDirectory"/> as a long-running
    /// process (<c>mimi witness serve</c>), without the test run's ASP.NET Core variables; <see cref="Url"/> is
    /// <paramref name="url"/>, for <see cref="WaitUntilAnsweringAsync"/>.
    /// </summary>
    public static ServiceProcess StartCli(string workingDirectory, IReadOnlyList<string> arguments, string url) =>
        LaunchCommand(workingDirectory, new Dictionary<string, string>(), ["dotnet", Path.Combine(AppContext.BaseDirectory, "mimi.dll"), .. arguments], url);

    /// <summary>Waits until <paramref name="path"/> answers 2xx on <paramref name="baseAddress"/>; fails if the process ends first.</summary>
    public async Task WaitUntilAnsweringAsync(Uri baseAddress, string path)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.False(_process.HasExited, $"The service exited ({(_process.HasExited ? _process.ExitCode : 0)}):\n{StandardOutput}\n{StandardError}");
            try
            {
                if ((await http.GetAsync(path)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} did not answer on {baseAddress}:\n{StandardOutput}\n{StandardError}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to finish a request, flush or stop its background work.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static ServiceProcess Launch(string directory, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? wrapper, string url) =>
        LaunchCommand(directory, environment, [.. wrapper ?? [], "dotnet", "Mimi.Discovery.Server.dll"], url);

    private static ServiceProcess LaunchCommand(string directory, IReadOnlyDictionary<string, string> environment, List<string> command, string url)
    {
        var start = new ProcessStartInfo(command[0], command.Skip(1))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "DOTNET_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the service."), url);
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
