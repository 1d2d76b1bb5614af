using Mimi.Discovery.Oprf.Tests.Support;

namespace Mimi.Discovery.Oprf.Tests;

/// <summary>Every P256-SHA256 vector of RFC 9497 appendix A for the OPRF and VOPRF modes, step by step.</summary>
public sealed class Rfc9497VectorTests
{
    public static TheoryData<Rfc9497Vector> OprfVectors => Rfc9497Vectors.Oprf;

    public static TheoryData<Rfc9497Vector> VoprfVectors => Rfc9497Vectors.Voprf;

    [Theory]
    [MemberData(nameof(OprfVectors))]
    [MemberData(nameof(VoprfVectors))]
    public void DeriveKeyPair_from_seed_and_info_gives_the_vector_key(Rfc9497Vector vector)
    {
        var key = OprfKeyPair.Derive(vector.Mode, vector.Seed, vector.KeyInfo);

        Assert.Equal(Convert.ToHexStringLower(vector.PrivateKey), Convert.ToHexStringLower(key.ExportPrivateKey()));
        if (vector.PublicKey is not null)
        {
            Assert.Equal(Convert.ToHexStringLower(vector.PublicKey), key.PublicKey.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(OprfVectors))]
    [MemberData(nameof(VoprfVectors))]
    public void Blind_with_the_vector_blind_gives_the_vector_blinded_element(Rfc9497Vector vector)
    {
        var client = NewClient(vector);
        for (var i = 0; i < vector.Inputs.Length; i++)
        {
            var blinded = client.Blind(vector.Inputs[i], Rfc9497Vector.Scalar(vector.Blinds[i]));

            Assert.Equal(Convert.ToHexStringLower(vector.BlindedElements[i]), blinded.BlindedElement.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(OprfVectors))]
    public void BlindEvaluate_in_base_mode_gives_the_vector_evaluation(Rfc9497Vector vector)
    {
        var server = new OprfServer(OprfMode.Oprf, ImportKey(vector));

        var evaluation = server.BlindEvaluate(Elements(vector.BlindedElements));

        Assert.Null(evaluation.Proof);
        Assert.Equal(Hex(vector.EvaluationElements), Hex(evaluation.EvaluatedElements));
    }

    [Theory]
    [MemberData(nameof(VoprfVectors))]
    public void BlindEvaluate_in_verifiable_mode_gives_the_vector_evaluation_and_proof(Rfc9497Vector vector)
    {
        var server = new OprfServer(OprfMode.Voprf, ImportKey(vector));

        var evaluation = server.BlindEvaluate(Elements(vector.BlindedElements), Rfc9497Vector.Scalar(vector.ProofRandomness!));

        Assert.Equal(Hex(vector.EvaluationElements), Hex(evaluation.EvaluatedElements));
        Assert.Equal(Convert.ToHexStringLower(vector.Proof!), Convert.ToHexStringLower(evaluation.Proof!.ToArray()));
    }

    [Theory]
    [MemberData(nameof(OprfVectors))]
    [MemberData(nameof(VoprfVectors))]
    public void Finalize_of_the_vector_evaluation_gives_the_vector_output(Rfc9497Vector vector)
    {
        var client = NewClient(vector);
        var blinded = new OprfBlindedInput[vector.Inputs.Length];
        for (var i = 0; i < blinded.Length; i++)
        {
            blinded[i] = client.Blind(vector.Inputs[i], Rfc9497Vector.Scalar(vector.Blinds[i]));
        }

        var proof = vector.Proof is null ? null : OprfProof.Decode(vector.Proof).Value;
        var evaluation = new OprfEvaluation(vector.Mode, Elements(vector.EvaluationElements), proof);

        var result = client.Finalize(blinded, evaluation);

        Assert.Equal(OprfStatus.Success, result.Status);
        Assert.Equal(Hex(vector.Outputs), result.Value!.Select(Convert.ToHexStringLower));
    }

    [Theory]
    [MemberData(nameof(OprfVectors))]
    [MemberData(nameof(VoprfVectors))]
    public void Evaluate_on_the_server_gives_the_vector_output_without_blinding(Rfc9497Vector vector)
    {
        var server = new OprfServer(vector.Mode, ImportKey(vector));

        for (var i = 0; i < vector.Inputs.Length; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(vector.Outputs[i]), Convert.ToHexStringLower(server.Evaluate(vector.Inputs[i])));
        }
    }

    [Fact]
    public void The_vectors_include_a_batched_verifiable_evaluation() =>
        Assert.Contains(Rfc9497Vectors.All, vector => vector.Mode == OprfMode.Voprf && vector.Inputs.Length == 2);

    private static OprfClient NewClient(Rfc9497Vector vector) => vector.Mode == OprfMode.Voprf
        ? new OprfClient(OprfMode.Voprf, OprfElement.Decode(vector.PublicKey).Value)
        : new OprfClient(OprfMode.Oprf);

    private static OprfKeyPair ImportKey(Rfc9497Vector vector) => OprfKeyPair.ImportPrivateKey(vector.PrivateKey).Value!;

    private static OprfElement[] Elements(byte[][] encoded) => [.. encoded.Select(e => OprfElement.Decode(e).Value!)];

    private static IEnumerable<string> Hex(IEnumerable<byte[]> values) => values.Select(Convert.ToHexStringLower);

    private static IEnumerable<string> Hex(IEnumerable<OprfElement> values) => values.Select(e => e.ToString());
}
