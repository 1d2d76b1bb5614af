using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Transparency;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// ECVRF-P256-SHA256-TAI on one core: evaluate (the import's cost per new identifier), prove and verify, next to
/// ECDSA P-256 signatures (the platform's, as the service signs) and raw BouncyCastle P-256 variable-base
/// multiplications, measured in the same run.
/// </summary>
internal static class VrfBenchmark
{
    // Checked for a suite on Edwards25519: every package the registry serves here that names Ed25519, Curve25519,
    // Ristretto or libsodium exposes signatures and X25519 only, no arithmetic on an arbitrary Edwards point.
    private const string EdwardsNote =
        "Edwards25519: no maintained .NET package served here exposes Edwards25519 point arithmetic (a scalar times an " +
        "arbitrary point, hash-to-curve): NSec.Cryptography, Geralt, Sodium.Core and NaCl.Net offer Ed25519 signatures and " +
        "X25519 only, and BouncyCastle keeps its Ed25519 point code internal; so ECVRF-EDWARDS25519-SHA512-* is not measured.";

    public static void Run(TimeSpan duration)
    {
        const int oneCore = 1;
        var rounds = int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_ROUNDS") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var inputs = Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes($"tel:+1555{i:D7}")).ToArray();
        var counter = 0;
        int Next() => Interlocked.Increment(ref counter) & 63;

        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var curve = CustomNamedCurves.GetByName("P-256");
        var points = Enumerable.Range(0, 64).Select(_ => curve.G.Multiply(new BigInteger(1, RandomNumberGenerator.GetBytes(32))).Normalize()).ToArray();
        var scalars = Enumerable.Range(0, 64).Select(_ => new BigInteger(1, RandomNumberGenerator.GetBytes(32)).Mod(curve.N)).ToArray();
        using var key = VrfPrivateKey.Generate();
        var proofs = inputs.Select(input => key.Prove(input)).ToArray();
        var beta = new byte[EcVrf.OutputLength];
        (string What, Action Operation)[] operations =
        [
            ("ECDSA P-256 signatures (System.Security.Cryptography, SHA-256)", () => ecdsa.SignData(inputs[Next()], HashAlgorithmName.SHA256)),
            ("raw BouncyCastle P-256 variable-base multiplications", () =>
            {
                var i = Next();
                // A fresh instance each time, so no window table is reused: what multiplying a new H costs.
                var fresh = curve.Curve.CreatePoint(points[i].AffineXCoord.ToBigInteger(), points[i].AffineYCoord.ToBigInteger());
                fresh.Multiply(scalars[i]).Normalize();
            }),
            ("VRF evaluate (encode_to_curve + one multiplication, no proof)", () => key.Evaluate(inputs[Next()])),
            ("VRF prove", () => key.Prove(inputs[Next()])),
            ("VRF verify", () =>
            {
                var i = Next();
                if (!key.PublicKey.Verify(inputs[i], proofs[i], beta))
                {
                    throw new InvalidOperationException("A proof made here did not verify.");
                }
            }),
        ];

        // The machine is shared: every round measures all five one after the other, and the table shows per row the
        // median rate and the median of the rounds' ratios to that round's ECDSA rate.
        var rates = new double[operations.Length, rounds];
        for (var round = 0; round < rounds; round++)
        {
            for (var j = 0; j < operations.Length; j++)
            {
                rates[j, round] = Measure.Rate(operations[j].Operation, oneCore, duration / rounds);
            }
        }

        double Median(Func<int, double> perRound) => Enumerable.Range(0, rounds).Select(perRound).Order().ElementAt(rounds / 2);
        var table = new StringBuilder($"## VRF ({EcVrf.SuiteName}, one thread, median of {rounds} rounds)\n\n| what | per second | ÷ ECDSA P-256 signatures |\n|---|---:|---:|\n");
        for (var j = 0; j < operations.Length; j++)
        {
            var row = j;
            table.Append($"| {operations[row].What} | {Median(r => rates[row, r]):N0} | {Median(r => rates[row, r] / rates[0, r]):F2} |\n");
        }

        table.Append($"\nEvaluate ÷ raw multiplications: {Median(r => rates[2, r] / rates[1, r]):F2} (1.00 would be the multiplication alone).\n");
        Console.WriteLine(table);
        Console.WriteLine(EdwardsNote);
        Console.WriteLine();
    }
}
