using System.Diagnostics;
using System.Security.Cryptography;
using Mimi.Discovery.Client;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// One monitoring pass (LogMonitor: checkpoint, every entry bundle fetched a few at a time, re-hashed into the right
/// edge, scanned for the watched indexes, openings asked for) over a log of MIMI_BENCH_MONITOR_ENTRIES (1,000,000)
/// format-2 entries, next to just downloading the same bundles with as many in flight, in the same run
/// (download, pass, download: the pass is compared with the mean of the two).
/// </summary>
internal static class MonitorBenchmark
{
    private const int InFlight = LogMonitor.DefaultConcurrency;

    public static async Task RunAsync(string? postgres)
    {
        var entries = long.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_MONITOR_ENTRIES") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
        var url = $"http://127.0.0.1:{LookupBenchmark.FreePort()}";
        await using var host = await ServiceHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Urls"] = url,
            ["Authority:Issuer"] = url,
            ["Log:Origin"] = "bench/monitor-log",
        });
        var op = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(url) }, ClientCredentials.Load("operator", Path.Combine(host.KeyDirectory, "operator.key")));
        using var betaKey = ClientCredentials.GenerateEs256("beta.bench");
        await op.EnrolProviderAsync("beta.bench", "ops@beta.bench", [betaKey.PublicJwk], trusted: true);
        var beta = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) }, betaKey);

        var fill = Stopwatch.StartNew();
        await FillAsync(host, entries);
        using var user = ClientCredentials.GenerateEs256("u");
        var own = await beta.IssueCredentialAsync("tel:+15559990000", "mimi://beta.bench/u/bob", user.SubjectPublicKeyInfo, attested: true);
        var size = own.LogIndex + 1;
        fill.Stop();

        var anonymous = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) });
        var trust = CheckpointTrust.Create(await anonymous.GetLogVerifierKeyAsync(), [], 0);
        var firstDownload = await DownloadAsync(anonymous, size);
        var pass = Stopwatch.StartNew();
        var report = await new LogMonitor(beta, "beta.bench", trust) { Concurrency = InFlight }.RunAsync(null, []);
        pass.Stop();
        var secondDownload = await DownloadAsync(anonymous, size);
        if (!report.LogVerified || report.Findings is not [{ Alert: false } finding] || finding.LogIndex != own.LogIndex)
        {
            throw new InvalidOperationException("The monitoring pass did not find exactly the provider's own credential: " + string.Join("; ", report.Checks));
        }

        var download = (firstDownload + secondDownload) / 2;
        var monitored = size / pass.Elapsed.TotalSeconds;
        Console.WriteLine($"## Monitoring pass ({size:N0} format-2 entries, {(size + 255) / 256:N0} entry bundles, {InFlight} in flight; "
                          + $"{(postgres is null ? "SQLite" : "PostgreSQL")}; log filled in {fill.Elapsed.TotalSeconds:N0} s)");
        Console.WriteLine();
        Console.WriteLine("| what | entries per second | time | ratio to downloading the bundles |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| download the entry bundles only (mean of before and after the pass: {firstDownload:N0} and {secondDownload:N0}) | {download:N0} | {size / download:F1} s | 1.00 |");
        Console.WriteLine($"| LogMonitor pass: checkpoint, bundles, re-hash to the root, index scan, 1 opening | {monitored:N0} | {pass.Elapsed.TotalSeconds:F1} s | {monitored / download:F2} |");
        Console.WriteLine();
        Console.WriteLine("Target: a pass at ≥ 0.5 of the rate of downloading the same bundles.");
        Console.WriteLine();
    }

    /// <summary>Entries of the size and shape the service writes (random index and commitment), straight through its log store.</summary>
    private static async Task FillAsync(ServiceHost host, long entries)
    {
        var log = host.Services.GetRequiredService<LogStore>();
        var kid = host.Services.GetRequiredService<IndexProofs>().Keys.Current.PublicKey.KeyId;
        var now = DateTimeOffset.UtcNow;
        for (long done = 0; done < entries;)
        {
            var count = (int)Math.Min(10_000, entries - done);
            var batch = new List<LogWrite>(count);
            for (var i = 0; i < count; i++)
            {
                var n = done + i;
                var entry = LogEntryContent.Write(LogEntryType.Issuance, now, kid, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
                batch.Add(new IssueCredentialWrite(entry, index => new CredentialRecord(n.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
                    "filler.bench", "tel:+15550000000", "mimi://filler.bench/u/u", [], Attestation.Provider, [0], "", now, now, index, now)));
            }

            await log.AppendAsync(batch, CancellationToken.None);
            done += count;
        }
    }

    /// <summary>Entries per second of fetching every bundle of the tree, <see cref="InFlight"/> at a time, in order, nothing parsed.</summary>
    private static async Task<double> DownloadAsync(MimiDiscoveryClient client, long size)
    {
        var clock = Stopwatch.StartNew();
        var pending = new Queue<Task<byte[]>>();
        long bytes = 0;
        for (long next = 0, last = (size - 1) >> TileCoordinate.Height; next <= last || pending.Count > 0;)
        {
            while (pending.Count < InFlight && next <= last)
            {
                pending.Enqueue(client.GetEntryBundleAsync(TileCoordinate.EntryBundleInTree(next++, size)));
            }

            bytes += (await pending.Dequeue()).Length;
        }

        return bytes > 0 ? size / clock.Elapsed.TotalSeconds : 0;
    }
}
