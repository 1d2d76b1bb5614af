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
        // Each issuance proves its identifier's index (the X.509 extension and the assertion carry the proof).
        using var vrf = Transparency.VrfPrivateKey.Generate();
        var n = 0L;
        var proofs = Measure.Rate(() => vrf.Prove(System.Text.Encoding.UTF8.GetBytes($"tel:+1555{Interlocked.Increment(ref n) % 10_000_000:D7}")), workers, duration);
        // The CPU an issuance needs on these cores: two signatures (credential, assertion) and one VRF proof.
        var bound = 1 / ((2 / raw) + (1 / proofs));

        Console.WriteLine($"## Issuance ({workers} cores, {Callers} concurrent callers, {duration.TotalSeconds:0} s per figure)");
        Console.WriteLine();
        Console.WriteLine("| what | per second | ratio to raw ECDSA P-256 signing |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| raw ECDSA P-256 signatures (.NET, {workers} threads) | {raw:N0} | 1.00 |");
        Console.WriteLine($"| raw VRF proofs (ECVRF-P256-SHA256-TAI, {workers} threads) | {proofs:N0} | {proofs / raw:F2} |");
        Console.WriteLine($"| CPU bound: two signatures and one VRF proof per issuance, {workers} threads | {bound:N0} | {bound / raw:F2} |");
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
            Console.WriteLine($"| issuances with durable log append, {name} | {rate:N0} | {rate / raw:F2} ({rate / bound:F2} of the CPU bound) |");
        }

        Console.WriteLine();
        Console.WriteLine("Target: issuances on PostgreSQL ≥ 0.3 of the CPU bound (before identifier indexes: ≥ 0.10 of raw signing). With private lookups on, each mapping also costs one");
        Console.WriteLine("OPRF evaluation in the background record builder, on the same cores.");
        Console.WriteLine();
    }
}
