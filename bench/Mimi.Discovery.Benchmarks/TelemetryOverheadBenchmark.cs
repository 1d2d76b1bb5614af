using System.Globalization;
using Mimi.Discovery.Server.Telemetry;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// What metrics and tracing cost a lookup: the service with <c>/metrics</c> on its management listener (scraped every
/// second during the figure) and traces sampled at <c>MIMI_BENCH_TRACE_RATIO</c> (1.0) and exported over OTLP/HTTP to a
/// loopback sink, next to the same service with both off, in <c>MIMI_BENCH_TELEMETRY_ROUNDS</c> (5) pairs whose order
/// alternates. Each figure is a fresh instance on the same database, Redis and keys, and only one runs at a time:
/// activity and meter listeners are process-wide, so an instance with telemetry on would also measure the other.
/// </summary>
internal static class TelemetryOverheadBenchmark
{
    public static async Task RunAsync(string postgres, string redis, string keyDirectory, int issuerPort, string token, long mappings, TimeSpan duration)
    {
        var rounds = int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_TELEMETRY_ROUNDS") ?? "5", CultureInfo.InvariantCulture);
        var sampleRatio = Environment.GetEnvironmentVariable("MIMI_BENCH_TRACE_RATIO") ?? "1.0";
        await using var sink = await OtlpSink.StartAsync();

        Console.WriteLine($"## Lookups with metrics and tracing on and off ({mappings:N0} mappings, wrk -t2 -c32, {duration.TotalSeconds:0} s per figure, {rounds} pairs, traces sampled at {sampleRatio})");
        Console.WriteLine();
        Console.WriteLine("| pair | load average | off: requests/s | on: requests/s | on ÷ off | off p99 ms | on p99 ms |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        // One untimed instance of each first: the JIT compiles each one's code once per process, and the first
        // instance with telemetry on would otherwise pay for the exporters' compilation inside its figure.
        await FigureAsync(telemetry: false, TimeSpan.FromSeconds(3));
        await FigureAsync(telemetry: true, TimeSpan.FromSeconds(3));
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var load = LoadAverage();
            LookupBenchmark.WrkFigures off, on;
            if (round % 2 == 0)
            {
                off = await FigureAsync(telemetry: false, duration);
                on = await FigureAsync(telemetry: true, duration);
            }
            else
            {
                on = await FigureAsync(telemetry: true, duration);
                off = await FigureAsync(telemetry: false, duration);
            }

            ratios.Add(on.Rate / off.Rate);
            Console.WriteLine($"| {round + 1} | {load} → {LoadAverage()} | {off.Rate:N0} | {on.Rate:N0} | {on.Rate / off.Rate:F3} | {off.P99:F2} | {on.P99:F2} |");
        }

        ratios.Sort();
        Console.WriteLine();
        Console.WriteLine($"Median on ÷ off: {ratios[ratios.Count / 2]:F3} (target ≥ 0.95). The OTLP sink received {sink.Exports:N0} exports, {sink.Bytes / 1024.0 / 1024.0:N1} MiB.");
        Console.WriteLine();

        async Task<LookupBenchmark.WrkFigures> FigureAsync(bool telemetry, TimeSpan length)
        {
            var port = LookupBenchmark.FreePort();
            var settings = new Dictionary<string, string?>
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                // The first instance's keys and issuer: its access token is good here too.
                ["Authority:Issuer"] = $"http://127.0.0.1:{issuerPort}",
                ["Authority:KeyDirectory"] = keyDirectory,
                ["Redis:Configuration"] = redis,
                ["Lookup:LookupsPerRequester"] = int.MaxValue.ToString(CultureInfo.InvariantCulture),
                ["PrivateLookup:Enabled"] = "false",
            };
            if (telemetry)
            {
                settings["Telemetry:Metrics:Exposure"] = "Management";
                settings["Telemetry:Metrics:ManagementUrl"] = "http://127.0.0.1:0";
                settings["Telemetry:Otlp:Endpoint"] = sink.Url;
                settings["Telemetry:Otlp:Protocol"] = "HttpProtobuf";
                settings["Telemetry:Otlp:SampleRatio"] = sampleRatio;
            }

            await using var host = await ServiceHost.StartAsync(postgres, settings);
            var url = $"http://127.0.0.1:{port}";
            using (var http = new HttpClient { BaseAddress = new Uri(url) })
            {
                while (!(await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    await Task.Delay(200);
                }
            }

            await LookupBenchmark.WarmUpAsync(url + "/v1/lookup", token, mappings);
            using var stop = new CancellationTokenSource();
            var scrapes = telemetry ? ScrapeAsync(host.Services.GetRequiredService<ManagementServer>().Address!, stop.Token) : Task.FromResult(0);
            var figures = await LookupBenchmark.RunWrkAsync(url + "/v1/lookup", token, mappings, length);
            await stop.CancelAsync();
            if (telemetry && await scrapes == 0)
            {
                throw new InvalidOperationException("No scrape of /metrics succeeded during the figure.");
            }

            return figures;
        }
    }

    /// <summary>Scrapes /metrics every second, as a Prometheus with a one-second interval would; returns how many succeeded.</summary>
    private static async Task<int> ScrapeAsync(Uri management, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = management };
        var scrapes = 0;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
                (await http.GetAsync("/metrics", stop)).EnsureSuccessStatusCode();
                scrapes++;
            }
        }
        catch (OperationCanceledException)
        {
            return scrapes;
        }
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
