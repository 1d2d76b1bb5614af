using System.Diagnostics;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Xunit.Abstractions;

namespace Mimi.Discovery.Oprf.Tests;

/// <summary>
/// The server's verifiable evaluation costs what <see cref="OprfSuite.ScalarMultiplicationsPerEvaluation"/> says:
/// measured against plain BouncyCastle variable-base multiplications on the same machine, in the same run.
/// </summary>
public sealed class EvaluationCostTests(ITestOutputHelper output)
{
    private const int Rounds = 7;
    private const int PerRound = 60;
    private const int WarmUpRounds = 4;

    [Fact]
    public void A_verifiable_evaluation_of_one_element_performs_the_documented_number_of_multiplications()
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var element = new OprfClient(OprfMode.Oprf).Blind("tel:+15550001111"u8).BlindedElement;

        var before = P256.MultiplicationsOnThisThread;
        server.BlindEvaluate([element]);

        Assert.Equal(OprfSuite.ScalarMultiplicationsPerEvaluation, P256.MultiplicationsOnThisThread - before);
    }

    [Fact]
    public void A_base_mode_evaluation_performs_one_multiplication()
    {
        var server = new OprfServer(OprfMode.Oprf, OprfKeyPair.Generate());
        var element = new OprfClient(OprfMode.Oprf).Blind("tel:+15550001111"u8).BlindedElement;

        var before = P256.MultiplicationsOnThisThread;
        server.BlindEvaluate([element]);

        Assert.Equal(1, P256.MultiplicationsOnThisThread - before);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void A_batch_proof_costs_one_multi_scalar_composite_and_three_multiplications(int batch)
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = new OprfClient(OprfMode.Oprf);
        var elements = Enumerable.Range(0, batch).Select(i => client.Blind([(byte)i]).BlindedElement).ToArray();

        var before = P256.MultiplicationsOnThisThread;
        server.BlindEvaluate(elements);

        // n evaluations; M = Σ dᵢ·Cᵢ in one pass; Z = k·M (not Σ dᵢ·Dᵢ); t2 = r·G; t3 = r·M.
        Assert.Equal(batch + 4, P256.MultiplicationsOnThisThread - before);
    }

    [Fact]
    public void A_verifiable_evaluation_costs_no_more_than_the_documented_number_of_multiplications()
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var encoded = Enumerable.Range(0, PerRound)
            .Select(i => new OprfClient(OprfMode.Oprf).Blind(RandomNumberGenerator.GetBytes(16)).BlindedElement.ToArray())
            .ToArray();
        var scalars = encoded.Select(_ => new BigInteger(1, RandomNumberGenerator.GetBytes(32)).Mod(P256.Order)).ToArray();

        // Warm up both paths until tiered compilation has settled (and the generator's comb table exists).
        for (var i = 0; i < WarmUpRounds; i++)
        {
            Measure(server, encoded, scalars);
        }

        var ratios = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var (multiplication, evaluation) = Measure(server, encoded, scalars);
            ratios.Add(evaluation / multiplication);
            output.WriteLine($"round {round}: {1 / multiplication:F0} multiplications/s, {1 / evaluation:F0} VOPRF evaluations/s, ratio {evaluation / multiplication:F2}");
        }

        ratios.Sort();
        var median = ratios[Rounds / 2];
        output.WriteLine($"median cost: {median:F2} multiplications per evaluation (documented {OprfSuite.ScalarMultiplicationsPerEvaluation})");

        // One of the five is a cheaper fixed-base multiplication, so the measured cost sits below the constant;
        // the margin absorbs hashing, encoding and a noisy shared machine, not a sixth multiplication.
        Assert.InRange(median, 1, OprfSuite.ScalarMultiplicationsPerEvaluation * 1.15);
    }

    /// <summary>
    /// Seconds per multiplication of a fresh point instance (no cached window table) by a full-size scalar, and
    /// per VOPRF BlindEvaluate of one fresh element, proof included. The two alternate element by element, so
    /// load from other processes falls on both alike.
    /// </summary>
    private static (double Multiplication, double Evaluation) Measure(OprfServer server, byte[][] encoded, BigInteger[] scalars)
    {
        var points = encoded.Select(e => OprfElement.Decode(e).Value!.Point).ToArray();
        var elements = encoded.Select(e => OprfElement.Decode(e).Value!).ToArray();
        var multiplication = TimeSpan.Zero;
        var evaluation = TimeSpan.Zero;
        for (var i = 0; i < encoded.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            points[i].Multiply(scalars[i]).Normalize();
            var middle = Stopwatch.GetTimestamp();
            server.BlindEvaluate([elements[i]]);
            var end = Stopwatch.GetTimestamp();
            multiplication += Stopwatch.GetElapsedTime(start, middle);
            evaluation += Stopwatch.GetElapsedTime(middle, end);
        }

        return (multiplication.TotalSeconds / encoded.Length, evaluation.TotalSeconds / encoded.Length);
    }
}
