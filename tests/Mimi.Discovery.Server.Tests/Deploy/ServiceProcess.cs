using System.Diagnostics;
using System.Text;

namespace Mimi.Discovery.Server.Tests.Deploy;

/// <summary>
/// The published service as its own process, started the way the Dockerfile and deploy/ start it:
/// <c>dotnet Mimi.Discovery.Server.dll</c> with the published folder as working directory and settings from the
/// environment only (none inherited from the test run's ASP.NET Core variables).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string StandardOutput => Read(_stdout);

    public string StandardError => Read(_stderr);

    /// <param name="published">The published folder.</param>
    /// <param name="environment">The process's settings.</param>
    /// <param name="wrapper">A command the service runs under (its last argument is followed by <c>dotnet …</c>).</param>
    public static ServiceProcess Start(string published, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? wrapper = null)
    {
        var command = (wrapper ?? []).Concat(new[] { "dotnet", "Mimi.Discovery.Server.dll" }).ToList();
        var start = new ProcessStartInfo(command[0], command.Skip(1))
        {
            WorkingDirectory = published,
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

        return new ServiceProcess(Process.Start(start)!);
    }

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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
