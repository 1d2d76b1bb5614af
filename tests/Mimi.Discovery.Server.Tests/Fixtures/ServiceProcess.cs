using System.Diagnostics;
using System.Text;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>
/// The service as a process of its own (<c>dotnet Mimi.Discovery.Server.dll</c>) on a loopback port, for tests that
/// kill it the hard way (SIGKILL, nothing flushed or stopped) and start it again on the same data directory.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>What the process wrote so far (its log), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the service on <paramref name="port"/> over <paramref name="dataDirectory"/> and waits until it is ready.</summary>
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
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        Directory.CreateDirectory(dataDirectory);
        // Settings on the command line outrank every other configuration source; the data directory is the working one.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dataDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mimi.Discovery.Server.dll"));
        foreach (var (key, value) in all)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        var service = new ServiceProcess(process, url);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode}:\n{service.Output}");
            }

            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                service.Dispose();
                throw new TimeoutException($"The service did not become ready:\n{service.Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish a request, flush or stop its background work.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
