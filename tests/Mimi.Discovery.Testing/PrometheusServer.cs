using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mimi.Discovery.Testing;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package) on a free loopback port, scraping one target every second
/// with a generated configuration and a throw-away TSDB; killed and its directory removed at dispose. Queries go through
/// its HTTP API (<c>/api/v1/query</c>), as a dashboard's or an alert's would.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    /// <summary>Where Debian installs the server.</summary>
    public const string Binary = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The server's own address (its API and UI).</summary>
    public Uri Url { get; }

    /// <summary>What the server logged, for failure messages.</summary>
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

    /// <summary>Starts a server that scrapes <paramref name="target"/> (scheme, host and port; the path is <c>/metrics</c>) every second, and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: apt-get install prometheus (./test.sh installs it).");
        }

        var directory = Directory.CreateTempSubdirectory("mimi-prometheus-").FullName;
        var port = LoopbackPorts.FreeTcpPort();
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: mimi-discovery
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target.Authority}"]
            """));
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
                 {
                     "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new PrometheusServer(Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start."), directory,
            new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query: the <c>data.result</c> array of the answer (a vector's samples).</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promql}': {body}");
        }

        return json.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>The value of a query that yields at most one sample (wrap it in <c>sum(…)</c>); null when it yields none.</summary>
    public async Task<double?> ValueAsync(string promql)
    {
        var result = await QueryAsync(promql);
        return result.GetArrayLength() switch
        {
            0 => null,
            1 => double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture),
            var n => throw new InvalidOperationException($"'{promql}' yields {n} samples; aggregate it to one."),
        };
    }

    /// <summary>Waits until a scrape has brought <paramref name="promql"/> to <paramref name="expected"/>; fails saying what it last saw.</summary>
    public async Task WaitForValueAsync(string promql, double expected, TimeSpan? timeout = null)
    {
        double? seen = null;
        await Loopback.WaitUntilAsync(async () => (seen = await ValueAsync(promql)) == expected, timeout ?? TimeSpan.FromSeconds(30),
            () => $"{promql} = {seen?.ToString(CultureInfo.InvariantCulture) ?? "no sample"}, expected {expected.ToString(CultureInfo.InvariantCulture)}; targets: {TargetsAsync().GetAwaiter().GetResult()}");
    }

    /// <summary>The health of the scrape targets as Prometheus sees them (health, last error), for failure messages.</summary>
    public async Task<string> TargetsAsync()
    {
        try
        {
            return await _http.GetStringAsync(new Uri("/api/v1/targets", UriKind.Relative));
        }
        catch (HttpRequestException e)
        {
            return "unavailable: " + e.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                if ((await _http.GetAsync(new Uri("/-/ready", UriKind.Relative))).IsSuccessStatusCode)
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

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"prometheus was not ready within a minute: {Output}");
            }

            await Task.Delay(100);
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
}
