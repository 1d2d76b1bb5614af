using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Model;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// Plain lookups per second (batch of one) measured with wrk against the service on PostgreSQL and Redis, at
/// 10,000 and 1,000,000 mappings, next to a bare Kestrel endpoint in the same run; p50/p99 latency; the same with metrics
/// and tracing on next to off (<see cref="TelemetryOverheadBenchmark"/>); resident memory.
/// </summary>
internal static partial class LookupBenchmark
{
    public static async Task RunAsync(string? postgres, string? redis, TimeSpan duration)
    {
        if (postgres is null || redis is null || !File.Exists("/usr/bin/wrk"))
        {
            Console.WriteLine("## Lookups: not measured (needs MIMI_BENCH_POSTGRES, MIMI_BENCH_REDIS and wrk; bench/run.sh provides them)");
            return;
        }

        var rounds = int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
        await using var bare = await BareEndpoint.StartAsync();
        var port = FreePort();
        await using var host = await ServiceHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Authority:Issuer"] = $"http://127.0.0.1:{port}",
            ["Redis:Configuration"] = redis,
            ["Lookup:LookupsPerRequester"] = int.MaxValue.ToString(CultureInfo.InvariantCulture),
            ["Authentication:AccessTokenLifetime"] = "01:00:00",
            ["Urls"] = $"http://127.0.0.1:{port}",
            // Plain lookups only: the private-record builder would otherwise spend the cores on 1M OPRF evaluations mid-run.
            ["PrivateLookup:Enabled"] = "false",
        });
        var url = $"http://127.0.0.1:{port}";
        var http = new HttpClient { BaseAddress = new Uri(url) };
        var admin = new MimiDiscoveryClient(http, ClientCredentials.Load("operator", Path.Combine(host.KeyDirectory, "operator.key")));
        using var requester = ClientCredentials.GenerateEs256("bench.test");
        await admin.EnrolProviderAsync("bench.test", "ops@bench.test", [requester.PublicJwk]);
        await admin.EnrolProviderAsync("owner.test", "ops@owner.test", [ClientCredentials.GenerateEs256("owner.test").PublicJwk]);
        var token = await new MimiDiscoveryClient(http, requester).GetAccessTokenAsync();
        var log = host.Services.GetRequiredService<LogStore>();

        Console.WriteLine($"## Plain lookups (batch of 1, wrk -t2 -c32, {duration.TotalSeconds:0} s per figure, median of {rounds} alternating pairs, PostgreSQL + Redis)");
        Console.WriteLine();
        Console.WriteLine("| target | mappings | requests/s | ratio to bare Kestrel | p50 ms | p99 ms | non-2xx |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        long seeded = 0;
        foreach (var size in Environment.GetEnvironmentVariable("MIMI_BENCH_SIZES")?.Split(",").Select(long.Parse).ToArray() ?? [10_000, 1_000_000])
        {
            seeded = await SeedAsync(log, host.Services.GetRequiredService<MappingAssertionSigner>(), seeded, size);
            // Seeding wrote to the log store directly: bring the index up to date before measuring.
            await host.Services.GetRequiredService<Mimi.Discovery.Server.Lookup.MappingIndex>().CatchUpAsync(CancellationToken.None);
            if (Environment.GetEnvironmentVariable("MIMI_BENCH_VERBOSE") is not null)
            {
                var lookups = host.Services.GetRequiredService<Mimi.Discovery.Server.Lookup.LookupService>();
                var store = host.Services.GetRequiredService<CredentialStore>();
                var answered = host.Services.GetRequiredService<Mimi.Discovery.Server.Lookup.AnsweredIdentifiers>();
                var limiter = host.Services.GetRequiredService<Mimi.Discovery.RateLimiting.KeyedRateLimiter>();
                var random = Random.Shared;
                await Console.Error.WriteLineAsync($"service.LookupAsync: {await Measure.RateAsync(_ => lookups.LookupAsync("bench.test", [Identifiers.Sii.Parse(Sii(random.NextInt64(size)))], CancellationToken.None), 32, duration):N0}/s");
                var index = host.Services.GetRequiredService<Mimi.Discovery.Server.Lookup.MappingIndex>();
                await Console.Error.WriteLineAsync($"index probe + assertion rebuild: {Measure.Rate(() =>
                {
                    var sii = Sii(random.NextInt64(size));
                    var found = index.Find(sii);
                    _ = index.Assertion(found[0], sii);
                }, Environment.ProcessorCount, duration):N0}/s");
                await Console.Error.WriteLineAsync($"SII parse (tel:): {Measure.Rate(() => Identifiers.Sii.Parse(Sii(random.NextInt64(size))), Environment.ProcessorCount, duration):N0}/s");
                await Console.Error.WriteLineAsync($"db query: {await Measure.RateAsync(_ => store.ListActiveBySiisAsync([Sii(random.NextInt64(size))], DateTimeOffset.UtcNow, CancellationToken.None), 32, duration):N0}/s");
                await Console.Error.WriteLineAsync($"redis limiter: {await Measure.RateAsync(async _ => await limiter.AcquireAsync("k", new Mimi.Discovery.RateLimiting.RateLimitPolicy(int.MaxValue, TimeSpan.FromHours(1)), 1), 32, duration):N0}/s");
                Mimi.Discovery.RateLimiting.RateLimitRequest[] partitions = [new("k", new Mimi.Discovery.RateLimiting.RateLimitPolicy(int.MaxValue, TimeSpan.FromHours(1)), 0)];
                await Console.Error.WriteLineAsync($"redis lookup decision (new identifier: known-check, charge, remember): {await Measure.RateAsync(async _ =>
                    await limiter.AcquireNewAsync(answered.Set("bench.test", out var lifetime), lifetime, partitions, new[] { new Mimi.Discovery.RateLimiting.RateLimitItem("x" + random.Next(), [0]) }), 32, duration):N0}/s");
            }

            // The machine is shared and its load drifts within a run: each service figure is measured right after a
            // baseline, in MIMI_BENCH_ROUNDS alternating pairs, and the pair with the median ratio is printed.
            await WarmUpAsync(bare.Url + "/bare", token, size);
            await WarmUpAsync(url + "/v1/lookup", token, size);
            var pairs = new List<(WrkFigures Bare, WrkFigures Service)>();
            for (var round = 0; round < rounds; round++)
            {
                pairs.Add((await RunWrkAsync(bare.Url + "/bare", token, size, duration), await RunWrkAsync(url + "/v1/lookup", token, size, duration)));
            }

            var ordered = pairs.Select(p => (p.Bare, p.Service, Ratio: p.Service.Rate / p.Bare.Rate)).OrderBy(p => p.Ratio).ToList();
            var (bareFigures, figures, ratio) = ordered[ordered.Count / 2];
            Console.WriteLine($"| bare Kestrel endpoint (same JSON body, no work) | – | {bareFigures.Rate:N0} | 1.00 | {bareFigures.P50:F2} | {bareFigures.P99:F2} | {bareFigures.Failed} |");
            Console.WriteLine($"| service /v1/lookup | {size:N0} | {figures.Rate:N0} | {ratio:F2} (of {string.Join(", ", ordered.Select(p => p.Ratio.ToString("F2", CultureInfo.InvariantCulture)))}) | {figures.P50:F2} | {figures.P99:F2} | {figures.Failed} |");
        }

        Console.WriteLine();
        await TelemetryOverheadBenchmark.RunAsync(postgres, redis, host.KeyDirectory, port, token, seeded, duration);
        await ReplicaMemoryAsync(postgres, host.KeyDirectory, port, seeded);
        Console.WriteLine("Targets: ≥ 0.40 of the bare endpoint's rate, flat between 10,000 and 1,000,000 mappings.");
        Console.WriteLine();
    }

    /// <summary>
    /// Resident memory of a replica as its own process (the real server, same keys and issuer): one on an empty
    /// database as the baseline, one loading every mapping seeded here into its lookup index.
    /// </summary>
    private static async Task ReplicaMemoryAsync(string postgres, string keyDirectory, int issuerPort, long mappings)
    {
        var empty = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = "mimi_bench_empty" }.ConnectionString;
        await using (var admin = new Npgsql.NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand("DROP DATABASE IF EXISTS mimi_bench_empty", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE mimi_bench_empty", admin);
            await create.ExecuteNonQueryAsync();
        }

        var (baseline, _) = await ReplicaRssAsync(empty, keyDirectory, issuerPort);
        var (loaded, loadSeconds) = await ReplicaRssAsync(postgres, keyDirectory, issuerPort);
        var perMapping = (loaded - baseline) * 1024.0 * 1024.0 / Math.Max(1, mappings);
        Console.WriteLine($"Resident memory (VmRSS) of a replica as its own process, 5 s after it is ready: {baseline:N0} MiB with no mappings, " +
                          $"{loaded:N0} MiB holding {mappings:N0} mappings in its lookup index (≈ {perMapping:N0} bytes per mapping; index loaded in {loadSeconds:F1} s; private lookups off).");
    }

    private static async Task<(double MiB, double LoadSeconds)> ReplicaRssAsync(string postgres, string keyDirectory, int issuerPort)
    {
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("mimi-bench-replica-").FullName;
        var server = typeof(Mimi.Discovery.Server.Hosting.ServerJson).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [server]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = postgres,
            ["Storage__DataDirectory"] = data,
            ["Authority__KeyDirectory"] = keyDirectory,
            ["Authority__Issuer"] = $"http://127.0.0.1:{issuerPort}",
            ["PrivateLookup__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Information",
            ["Log__Origin"] = "localhost/bench",
        })
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var loadSeconds = double.NaN;
        var output = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (IndexLoaded().Match(line) is { Success: true } m)
                {
                    loadSeconds = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }
        });
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = Stopwatch.GetTimestamp() + (10 * 60 * Stopwatch.Frequency);
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (Stopwatch.GetTimestamp() < deadline && !process.HasExited)
                {
                }

                await Task.Delay(500);
            }

            // Let start-up garbage go: the figure is what the replica keeps, not what loading churned through.
            await Task.Delay(TimeSpan.FromSeconds(5));
            return (ResidentMiB(process.Id), loadSeconds);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await output;
            Directory.Delete(data, recursive: true);
        }
    }

    private static double ResidentMiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture) / 1024.0;

    /// <summary>
    /// Mappings straight into the log store, each with a real assertion signed by the service's key (what an index
    /// keeps in compact form) and a canonical serial; the lookup path never reads the certificate.
    /// </summary>
    private static async Task<long> SeedAsync(LogStore log, MappingAssertionSigner signer, long from, long to)
    {
        var now = DateTimeOffset.UtcNow;
        for (var start = from; start < to; start += 5000)
        {
            var batch = new List<LogWrite>();
            for (var n = start; n < Math.Min(to, start + 5000); n++)
            {
                var number = n;
                var serial = "4" + number.ToString("x31", CultureInfo.InvariantCulture);
                batch.Add(new IssueCredentialWrite(BitConverter.GetBytes(number), index => new CredentialRecord(
                    serial, "owner.test", Sii(number), $"mimi://owner.test/u/u{number}", Tags, Attestation.Provider, [0],
                    signer.Sign(new MappingAssertionClaims(Sii(number), $"mimi://owner.test/u/u{number}", "owner.test", Tags, now, now.AddDays(7), index, serial)),
                    now, now.AddDays(7), index, now)));
            }

            await log.AppendAsync(batch, CancellationToken.None);
        }

        return to;
    }

    private static readonly string[] Tags = ["mobile"];

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Sii(long n) => $"tel:+1555{n:D7}";

    /// <summary>Loads <paramref name="url"/> until its code is final: connection pools, and the JIT's tiers (both servers run in this process).</summary>
    internal static Task WarmUpAsync(string url, string token, long numbers) =>
        Measure.UntilJitSettlesAsync(url, () => RunWrkAsync(url, token, numbers, TimeSpan.FromSeconds(3)), quiet: 10);

    internal readonly record struct WrkFigures(double Rate, double P50, double P99, long Failed);

    internal static async Task<WrkFigures> RunWrkAsync(string url, string token, long numbers, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"mimi-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, $$"""
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer {{token}}"
            math.randomseed(os.time())
            request = function()
              local n = math.random(0, {{numbers - 1}})
              return wrk.format(nil, nil, nil, string.format('{"identifiers":["tel:+1555%07d"]}', n))
            end
            """);
        try
        {
            using var wrk = Process.Start(new ProcessStartInfo("wrk", $"-t2 -c32 -d{(int)duration.TotalSeconds}s --latency -s {script} {url}")
            { RedirectStandardOutput = true })!;
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            if (Environment.GetEnvironmentVariable("MIMI_BENCH_VERBOSE") is not null)
            {
                await Console.Error.WriteLineAsync(output);
            }

            // A stall past the Redis limiter's timeout (250 ms, fail closed) answers 503: counted and shown, but more than
            // one in a thousand means the figure measures failures, not lookups.
            var failed = Non2xx().Match(output) is { Success: true } errors ? long.Parse(errors.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var total = long.Parse(Total().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            if (failed * 1000 > total)
            {
                throw new InvalidOperationException($"wrk saw {failed} failing responses of {total} against {url}:\n{output}");
            }

            return new WrkFigures(double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
                Latency(output, "50%"), Latency(output, "99%"), failed);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"Lookup index loaded: \d+ mappings in ([\d.]+) s")]
    private static partial Regex IndexLoaded();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Total();
}

/// <summary>The baseline: Kestrel answering the same request with a fixed small JSON body and no work.</summary>
internal sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareEndpoint(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<BareEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/bare", () => Results.Text("""{"results":[{"sii":"tel:+15550000000","status":"none","mappings":[]}]}""", "application/json"));
        await app.StartAsync();
        return new BareEndpoint(app, app.Urls.First());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
