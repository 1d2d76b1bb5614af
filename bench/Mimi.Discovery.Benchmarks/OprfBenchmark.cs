using System.Security.Cryptography;
using Mimi.Discovery.Oprf;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// VOPRF evaluations per second (one blinded element, DLEQ proof included) next to raw BouncyCastle P-256 scalar
/// multiplications per second divided by the multiplications one evaluation needs, in the same run.
/// </summary>
internal static class OprfBenchmark
{
    public static void Run(TimeSpan duration)
    {
        var workers = Environment.ProcessorCount;
        var curve = CustomNamedCurves.GetByName("P-256");
        var points = Enumerable.Range(0, 64).Select(_ => curve.G.Multiply(new BigInteger(1, RandomNumberGenerator.GetBytes(32))).Normalize()).ToArray();
        var scalars = Enumerable.Range(0, 64).Select(_ => new BigInteger(1, RandomNumberGenerator.GetBytes(32)).Mod(curve.N)).ToArray();
        var counter = 0;
        var raw = Measure.Rate(() =>
        {
            var i = Interlocked.Increment(ref counter) & 63;
            // A fresh point instance each time (from affine coordinates, no square root), so no precomputed window
            // table is reused between multiplications: what one evaluation's multiplication by a new element costs.
            var fresh = curve.Curve.CreatePoint(points[i].AffineXCoord.ToBigInteger(), points[i].AffineYCoord.ToBigInteger());
            fresh.Multiply(scalars[i]).Normalize();
        }, workers, duration);

        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = new OprfClient(OprfMode.Voprf, server.Key.PublicKey);
        var blinded = Enumerable.Range(0, 64).Select(i => client.Blind(RandomNumberGenerator.GetBytes(16)).BlindedElement.ToArray()).ToArray();
        var evaluations = Measure.Rate(() =>
        {
            var i = Interlocked.Increment(ref counter) & 63;
            server.BlindEvaluate([OprfElement.Decode(blinded[i]).Value!]);
        }, workers, duration);
        var ceiling = raw / OprfSuite.ScalarMultiplicationsPerEvaluation;

        Console.WriteLine($"## OPRF (P256-SHA256 VOPRF, {workers} threads)");
        Console.WriteLine();
        Console.WriteLine("| what | per second | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| raw BouncyCastle P-256 scalar multiplications | {raw:N0} | |");
        Console.WriteLine($"| raw ÷ {OprfSuite.ScalarMultiplicationsPerEvaluation} multiplications per evaluation | {ceiling:N0} | 1.00 |");
        Console.WriteLine($"| VOPRF evaluations (one element, proof included) | {evaluations:N0} | {evaluations / ceiling:F2} |");
        Console.WriteLine();
        Console.WriteLine("Target: evaluations ≥ 0.70 × (raw multiplications ÷ multiplications per evaluation).");
        Console.WriteLine();
    }
}
