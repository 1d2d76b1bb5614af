namespace Mimi.Discovery.Oprf.Tests;

/// <summary>
/// The server's verifiable evaluation performs exactly the scalar multiplications
/// <see cref="OprfSuite.ScalarMultiplicationsPerEvaluation"/> documents (counted, not timed: rates live in bench/).
/// </summary>
public sealed class EvaluationCostTests
{
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
}
