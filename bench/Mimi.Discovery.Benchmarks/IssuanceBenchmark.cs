using System.Security.Cryptography;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authority;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// Issuances per second through the authority pipeline (X.509 credential, mapping assertion, durable batched log
/// append with its credential row), embedded and on PostgreSQL, next to raw ECDSA P-256 signatures per second.
/// </summary>
internal static class IssuanceBenchmark
{
    private const int Callers = 256;

    public static async Task RunAsync(string? postgres, TimeSpan duration)
    {
        var workers = Environment.ProcessorCount;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = RandomNumberGenerator.GetBytes(200);
        var raw = Measure.Rate(() => key.SignData(message, HashAlgorithmName.SHA256), workers, duration);

        Console.WriteLine($"## Issuance ({workers} cores, {Callers} concurrent callers, {duration.TotalSeconds:0} s per figure)");
        Console.WriteLine();
        Console.WriteLine("| what | per second | ratio to raw ECDSA P-256 signing |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| raw ECDSA P-256 signatures (.NET, {workers} threads) | {raw:N0} | 1.00 |");
        foreach (var (name, connection, privateLookup) in new[]
                 {
                     ("embedded (SQLite)", (string?)null, true), ("PostgreSQL", postgres, true),
                     ("PostgreSQL, PrivateLookup:Enabled=false", postgres, false),
                 })
        {
            if (name.StartsWith("PostgreSQL", StringComparison.Ordinal) && connection is null)
            {
                Console.WriteLine("| issuances, PostgreSQL | not measured: set MIMI_BENCH_POSTGRES (bench/run.sh does) | |");
                continue;
            }

            await using var host = await ServiceHost.StartAsync(connection, new Dictionary<string, string?>
            {
                ["PrivateLookup:Enabled"] = privateLookup ? "true" : "false",
            });
            var issuance = host.Services.GetRequiredService<IssuanceService>();
            var spki = key.ExportSubjectPublicKeyInfo();
            var ssi = Ssi.Parse("mimi://bench.test/u/user");
            var rate = await Measure.RateAsync(i => issuance.IssueAsync("bench.test", Sii.Parse($"tel:+1555{i % 10_000_000:D7}"), ssi, spki, ["mobile"],
                Attestation.Provider, CancellationToken.None), Callers, duration);
            Console.WriteLine($"| issuances with durable log append, {name} | {rate:N0} | {rate / raw:F2} |");
        }

        Console.WriteLine();
        Console.WriteLine("Target: issuances on PostgreSQL ≥ 0.10 × raw signing rate. With private lookups on, each mapping also costs one");
        Console.WriteLine("OPRF evaluation in the background record builder, on the same cores.");
        Console.WriteLine();
    }
}
