using System.Net;
using DnsClient;
using Mimi.Discovery.Resolution;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// Provider resolution (SRV, then the target's addresses) from the resolver's TTL cache and from a real DNS server
/// (dnsmasq, started by bench/run.sh with <c>count</c> providers <c>p{i}.bench</c>). Baseline, same run: raw DnsClient
/// SRV queries to the same server with its cache off.
/// </summary>
internal static class ResolveBenchmark
{
    public static async Task RunAsync(string dns, int count, TimeSpan duration)
    {
        var server = IPEndPoint.Parse(dns);
        var raw = new LookupClient(new LookupClientOptions(server) { UseCache = false, Retries = 0, Timeout = TimeSpan.FromSeconds(2) });
        var baseline = await Measure.RateAsync(async i =>
        {
            var answer = await raw.QueryAsync($"_mimi._tcp.p{i % count}.bench", QueryType.SRV);
            if (answer.HasError || answer.Answers.SrvRecords().FirstOrDefault() is null)
            {
                throw new InvalidOperationException($"p{i % count}.bench: {answer.ErrorMessage}");
            }
        }, workers: 4, duration);

        var options = new ProviderResolverOptions { AllowHttp = true, DirectoryScheme = "http" };
        options.NameServers.Add(server);
        options.AllowedAddressRanges.Add(IPNetwork.Parse("127.0.0.0/8"));
        using var resolver = new ProviderResolver(options, TimeProvider.System);

        // From the DNS server: every resolution misses the cache (cleared before each, one worker).
        var uncached = await Measure.RateAsync(async i =>
        {
            resolver.ClearCache();
            Check(await resolver.ResolveAsync($"p{i % count}.bench"));
        }, workers: 1, duration);

        // The single-worker baseline, for the same shape of load.
        var baselineSingle = await Measure.RateAsync(async i =>
        {
            var answer = await raw.QueryAsync($"_mimi._tcp.p{i % count}.bench", QueryType.SRV);
            _ = answer.Answers.SrvRecords().First();
        }, workers: 1, duration);

        for (var i = 0; i < count; i++)
        {
            Check(await resolver.ResolveAsync($"p{i}.bench"));
        }

        var cached = await Measure.RateAsync(async i => Check(await resolver.ResolveAsync($"p{i % count}.bench")), workers: 4, duration);

        Console.WriteLine();
        Console.WriteLine($"### Provider resolution ({count} providers in dnsmasq)");
        Console.WriteLine();
        Console.WriteLine("| figure | per second | ratio to baseline |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| baseline: raw DnsClient SRV query, no cache, 4 workers | {baseline:N0} | 1.00 |");
        Console.WriteLine($"| baseline: raw DnsClient SRV query, no cache, 1 worker | {baselineSingle:N0} | {baselineSingle / baseline:N2} |");
        Console.WriteLine($"| resolver from the DNS server (SRV + address queries, cache cleared), 1 worker | {uncached:N0} | {uncached / baselineSingle:N2} of the 1-worker baseline |");
        Console.WriteLine($"| resolver from its cache, 4 workers | {cached:N0} | {cached / baseline:N1} |");
    }

    private static void Check(Resolution.Resolution resolution)
    {
        if (!resolution.Succeeded)
        {
            throw new InvalidOperationException($"resolution failed: {resolution.Status} {resolution.Error}");
        }
    }
}
