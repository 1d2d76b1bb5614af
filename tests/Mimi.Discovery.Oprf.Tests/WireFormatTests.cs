using System.Buffers.Binary;

namespace Mimi.Discovery.Oprf.Tests;

/// <summary>The request and evaluation framing: a 2-byte count, compressed elements, then mode and proof.</summary>
public sealed class WireFormatTests
{
    private static readonly OprfKeyPair Key = OprfKeyPair.Generate();

    [Fact]
    public void A_request_is_a_count_then_the_elements()
    {
        var elements = Blind(3);
        var bytes = new OprfEvaluationRequest(elements).ToArray();

        Assert.Equal(2 + (3 * OprfSuite.ElementLength), bytes.Length);
        Assert.Equal(3, BinaryPrimitives.ReadUInt16BigEndian(bytes));
        Assert.Equal(elements[1].ToArray(), bytes.AsSpan(2 + OprfSuite.ElementLength, OprfSuite.ElementLength).ToArray());
        Assert.Equal(elements, OprfEvaluationRequest.Decode(bytes).Value!.BlindedElements);
    }

    [Fact]
    public void A_verifiable_evaluation_is_count_elements_mode_and_proof()
    {
        var evaluation = new OprfServer(OprfMode.Voprf, Key).BlindEvaluate(Blind(2));
        var bytes = evaluation.ToArray();

        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(bytes));
        Assert.Equal((byte)OprfMode.Voprf, bytes[2 + (2 * OprfSuite.ElementLength)]);
        Assert.Equal(evaluation.Proof!.ToArray(), bytes[^OprfSuite.ProofLength..]);
        var decoded = OprfEvaluation.Decode(bytes).Value!;
        Assert.Equal(evaluation.EvaluatedElements, decoded.EvaluatedElements);
        Assert.Equal(bytes, decoded.ToArray());
    }

    [Theory]
    [InlineData(new byte[0], OprfStatus.InvalidLength)]
    [InlineData(new byte[] { 0 }, OprfStatus.InvalidLength)]
    [InlineData(new byte[] { 0, 0 }, OprfStatus.EmptyBatch)]
    [InlineData(new byte[] { 0, 1 }, OprfStatus.InvalidLength)]
    [InlineData(new byte[] { 0, 1, 2, 3 }, OprfStatus.InvalidLength)]
    public void A_truncated_or_empty_request_is_refused(byte[] bytes, OprfStatus expected) =>
        Assert.Equal(expected, OprfEvaluationRequest.Decode(bytes).Status);

    [Fact]
    public void A_request_with_trailing_bytes_is_refused()
    {
        var bytes = new OprfEvaluationRequest(Blind(1)).ToArray();

        Assert.Equal(OprfStatus.InvalidLength, OprfEvaluationRequest.Decode([.. bytes, 0]).Status);
    }

    [Fact]
    public void A_request_larger_than_the_callers_limit_is_refused_before_decoding_elements()
    {
        var bytes = new OprfEvaluationRequest(Blind(3)).ToArray();

        Assert.Equal(OprfStatus.BatchTooLarge, OprfEvaluationRequest.Decode(bytes, maxBatchSize: 2).Status);
        Assert.Equal(OprfStatus.Success, OprfEvaluationRequest.Decode(bytes, maxBatchSize: 3).Status);
    }

    [Fact]
    public void A_request_with_one_invalid_element_reports_that_elements_failure()
    {
        var bytes = new OprfEvaluationRequest(Blind(2)).ToArray();
        bytes[2 + OprfSuite.ElementLength] = 0x04;

        Assert.Equal(OprfStatus.InvalidEncoding, OprfEvaluationRequest.Decode(bytes).Status);
    }

    [Fact]
    public void An_evaluation_with_an_unknown_mode_or_a_wrong_proof_length_is_refused()
    {
        var bytes = new OprfServer(OprfMode.Voprf, Key).BlindEvaluate(Blind(1)).ToArray();
        var modeOffset = 2 + OprfSuite.ElementLength;

        var poprf = (byte[])bytes.Clone();
        poprf[modeOffset] = 2;
        Assert.Equal(OprfStatus.InvalidEncoding, OprfEvaluation.Decode(poprf).Status);
        Assert.Equal(OprfStatus.InvalidLength, OprfEvaluation.Decode(bytes[..^1]).Status);
        Assert.Equal(OprfStatus.InvalidLength, OprfEvaluation.Decode(bytes[..modeOffset]).Status);
        var baseWithProof = (byte[])bytes.Clone();
        baseWithProof[modeOffset] = 0;
        Assert.Equal(OprfStatus.InvalidLength, OprfEvaluation.Decode(baseWithProof).Status);
    }

    [Fact]
    public void A_proof_scalar_not_below_the_group_order_is_refused()
    {
        var proof = new byte[OprfSuite.ProofLength];
        proof.AsSpan(0, OprfSuite.ScalarLength).Fill(0xff);

        Assert.Equal(OprfStatus.InvalidEncoding, OprfProof.Decode(proof).Status);
        Assert.Equal(OprfStatus.InvalidLength, OprfProof.Decode(proof.AsSpan(1)).Status);
        Assert.Equal(OprfStatus.Success, OprfProof.Decode(new byte[OprfSuite.ProofLength]).Status);
    }

    [Fact]
    public void An_evaluation_must_carry_a_proof_exactly_in_verifiable_mode()
    {
        var elements = Blind(1);
        var proof = new OprfServer(OprfMode.Voprf, Key).BlindEvaluate(elements).Proof;

        Assert.Throws<ArgumentException>(() => new OprfEvaluation(OprfMode.Voprf, elements, null));
        Assert.Throws<ArgumentException>(() => new OprfEvaluation(OprfMode.Oprf, elements, proof));
        Assert.Throws<ArgumentException>(() => new OprfEvaluationRequest([]));
    }

    private static OprfElement[] Blind(int count)
    {
        var client = new OprfClient(OprfMode.Oprf);
        return [.. Enumerable.Range(0, count).Select(i => client.Blind([(byte)i]).BlindedElement)];
    }
}
