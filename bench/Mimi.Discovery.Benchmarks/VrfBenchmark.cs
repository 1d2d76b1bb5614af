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
        var inputs = Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes($"tel:+1555{i:D7}")).ToArray();
        var counter = 0;
        int Next() => Interlocked.Increment(ref counter) & 63;

        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecdsaSign = Measure.Rate(() => ecdsa.SignData(inputs[Next()], HashAlgorithmName.SHA256), oneCore, duration);

        var curve = CustomNamedCurves.GetByName("P-256");
        var points = Enumerable.Range(0, 64).Select(_ => curve.G.Multiply(new BigInteger(1, RandomNumberGenerator.GetBytes(32))).Normalize()).ToArray();
        var scalars = Enumerable.Range(0, 64).Select(_ => new BigInteger(1, RandomNumberGenerator.GetBytes(32)).Mod(curve.N)).ToArray();
        var multiply = Measure.Rate(() =>
        {
            var i = Next();
            // A fresh instance each time, so no window table is reused: what multiplying a new H costs.
            var fresh = curve.Curve.CreatePoint(points[i].AffineXCoord.ToBigInteger(), points[i].AffineYCoord.ToBigInteger());
            fresh.Multiply(scalars[i]).Normalize();
        }, oneCore, duration);

        using var key = VrfPrivateKey.Generate();
        var proofs = inputs.Select(input => key.Prove(input)).ToArray();
        var evaluate = Measure.Rate(() => key.Evaluate(inputs[Next()]), oneCore, duration);
        var prove = Measure.Rate(() => key.Prove(inputs[Next()]), oneCore, duration);
        var beta = new byte[EcVrf.OutputLength];
        var verify = Measure.Rate(() =>
        {
            var i = Next();
            if (!key.PublicKey.Verify(inputs[i], proofs[i], beta))
            {
                throw new InvalidOperationException("A proof made here did not verify.");
            }
        }, oneCore, duration);

        (string What, double Rate)[] rows =
        [
            ("ECDSA P-256 signatures (System.Security.Cryptography, SHA-256)", ecdsaSign),
            ("raw BouncyCastle P-256 variable-base multiplications", multiply),
            ("VRF evaluate (encode_to_curve + one multiplication, no proof)", evaluate),
            ("VRF prove", prove),
            ("VRF verify", verify),
        ];
        var table = new StringBuilder($"## VRF ({EcVrf.SuiteName}, one thread)\n\n| what | per second | ÷ ECDSA P-256 signatures |\n|---|---:|---:|\n");
        foreach (var (what, rate) in rows)
        {
            table.Append($"| {what} | {rate:N0} | {rate / ecdsaSign:F2} |\n");
        }

        table.Append($"\nEvaluate ÷ raw multiplications: {evaluate / multiply:F2} (1.00 would be the multiplication alone).\n");
        Console.WriteLine(table);
        Console.WriteLine(EdwardsNote);
        Console.WriteLine();
    }
}
