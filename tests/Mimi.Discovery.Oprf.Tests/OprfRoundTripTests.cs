using System.Security.Cryptography;

namespace Mimi.Discovery.Oprf.Tests;

/// <summary>Client and server of this library against each other, through the wire format.</summary>
public sealed class OprfRoundTripTests
{
    public static TheoryData<OprfMode> Modes => [OprfMode.Oprf, OprfMode.Voprf];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Blinded_evaluation_over_the_wire_equals_the_servers_direct_evaluation(OprfMode mode)
    {
        var server = new OprfServer(mode, OprfKeyPair.Generate());
        var client = NewClient(mode, server.Key);
        for (var round = 0; round < 8; round++)
        {
            var input = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 200));
            var blinded = client.Blind(input);

            var request = OprfEvaluationRequest.Decode(new OprfEvaluationRequest([blinded.BlindedElement]).ToArray());
            var response = server.BlindEvaluate(request.Value!.BlindedElements).ToArray();
            var evaluation = OprfEvaluation.Decode(response);
            var output = client.Finalize([blinded], evaluation.Value!);

            Assert.Equal(OprfStatus.Success, output.Status);
            Assert.Equal(OprfSuite.OutputLength, output.Value![0].Length);
            Assert.Equal(server.Evaluate(input), output.Value[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_batch_finalizes_each_input_to_its_own_output(OprfMode mode)
    {
        var server = new OprfServer(mode, OprfKeyPair.Generate());
        var client = NewClient(mode, server.Key);
        var inputs = Enumerable.Range(0, 7).Select(i => RandomNumberGenerator.GetBytes(16 + i)).ToArray();
        var blinded = inputs.Select(i => client.Blind(i)).ToArray();

        var evaluation = server.BlindEvaluate([.. blinded.Select(b => b.BlindedElement)]);
        var outputs = client.Finalize(blinded, evaluation);

        Assert.Equal(OprfStatus.Success, outputs.Status);
        Assert.Equal(inputs.Select(i => Convert.ToHexStringLower(server.Evaluate(i))), outputs.Value!.Select(Convert.ToHexStringLower));
        Assert.Equal(inputs.Length, outputs.Value!.Select(Convert.ToHexStringLower).Distinct().Count());
    }

    [Fact]
    public void Blinding_hides_the_input_but_not_the_output()
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = NewClient(OprfMode.Voprf, server.Key);
        var input = "mailto:bob@beta.test"u8.ToArray();

        var first = client.Blind(input);
        var second = client.Blind(input);

        Assert.NotEqual(first.BlindedElement, second.BlindedElement);
        var firstOutput = client.Finalize([first], server.BlindEvaluate([first.BlindedElement])).Value![0];
        var secondOutput = client.Finalize([second], server.BlindEvaluate([second.BlindedElement])).Value![0];
        Assert.Equal(firstOutput, secondOutput);
    }

    [Fact]
    public void Another_key_gives_another_output_for_the_same_input()
    {
        var input = "tel:+15550001111"u8.ToArray();

        var first = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate()).Evaluate(input);
        var second = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate()).Evaluate(input);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_mode_separates_outputs_of_the_same_key()
    {
        var key = OprfKeyPair.Generate();
        var input = "tel:+15550001111"u8.ToArray();

        Assert.NotEqual(new OprfServer(OprfMode.Oprf, key).Evaluate(input), new OprfServer(OprfMode.Voprf, key).Evaluate(input));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(OprfSuite.ScalarLength)]
    public void A_proof_with_one_bit_flipped_fails_finalize(int scalarOffset)
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = NewClient(OprfMode.Voprf, server.Key);
        var blinded = client.Blind(RandomNumberGenerator.GetBytes(20));
        var evaluation = server.BlindEvaluate([blinded.BlindedElement]);
        var proofBytes = evaluation.Proof!.ToArray();
        proofBytes[scalarOffset + OprfSuite.ScalarLength - 1] ^= 0x01; // the lowest bit keeps the scalar below the order
        var tampered = new OprfEvaluation(OprfMode.Voprf, evaluation.EvaluatedElements, OprfProof.Decode(proofBytes).Value);

        Assert.Equal(OprfStatus.Success, client.Finalize([blinded], evaluation).Status);
        Assert.Equal(OprfStatus.InvalidProof, client.Finalize([blinded], tampered).Status);
    }

    [Fact]
    public void An_evaluation_under_another_key_fails_finalize_against_the_expected_public_key()
    {
        var expected = OprfKeyPair.Generate();
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = NewClient(OprfMode.Voprf, expected);
        var blinded = client.Blind("tel:+15550001111"u8);

        var result = client.Finalize([blinded], server.BlindEvaluate([blinded.BlindedElement]));

        Assert.Equal(OprfStatus.InvalidProof, result.Status);
        Assert.Null(result.Value);
    }

    [Fact]
    public void A_substituted_evaluated_element_fails_finalize()
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = NewClient(OprfMode.Voprf, server.Key);
        var blinded = new[] { client.Blind("a"u8), client.Blind("b"u8) };
        var evaluation = server.BlindEvaluate([.. blinded.Select(b => b.BlindedElement)]);
        var swapped = new OprfEvaluation(
            OprfMode.Voprf, [evaluation.EvaluatedElements[1], evaluation.EvaluatedElements[0]], evaluation.Proof);

        Assert.Equal(OprfStatus.Success, client.Finalize(blinded, evaluation).Status);
        Assert.Equal(OprfStatus.InvalidProof, client.Finalize(blinded, swapped).Status);
    }

    [Fact]
    public void A_proof_for_one_batch_does_not_verify_for_part_of_it()
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = NewClient(OprfMode.Voprf, server.Key);
        var blinded = new[] { client.Blind("a"u8), client.Blind("b"u8) };
        var evaluation = server.BlindEvaluate([.. blinded.Select(b => b.BlindedElement)]);
        var partial = new OprfEvaluation(OprfMode.Voprf, [evaluation.EvaluatedElements[0]], evaluation.Proof);

        Assert.Equal(OprfStatus.InvalidProof, client.Finalize([blinded[0]], partial).Status);
    }

    [Fact]
    public void Finalize_reports_a_batch_size_or_mode_mismatch_as_a_value()
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var client = NewClient(OprfMode.Voprf, server.Key);
        var blinded = new[] { client.Blind("a"u8), client.Blind("b"u8) };
        var evaluation = server.BlindEvaluate([blinded[0].BlindedElement]);
        var baseMode = new OprfServer(OprfMode.Oprf, server.Key).BlindEvaluate([blinded[0].BlindedElement]);

        Assert.Equal(OprfStatus.BatchSizeMismatch, client.Finalize(blinded, evaluation).Status);
        Assert.Equal(OprfStatus.ModeMismatch, client.Finalize([blinded[0]], baseMode).Status);
        Assert.Equal(OprfStatus.EmptyBatch, client.Finalize([], evaluation).Status);
    }

    [Fact]
    public void Base_mode_evaluations_carry_no_proof_and_verifiable_ones_do()
    {
        var key = OprfKeyPair.Generate();
        var element = new OprfClient(OprfMode.Oprf).Blind("x"u8).BlindedElement;

        var baseMode = new OprfServer(OprfMode.Oprf, key).BlindEvaluate([element]);
        var verifiable = new OprfServer(OprfMode.Voprf, key).BlindEvaluate([element]);

        Assert.Null(baseMode.Proof);
        Assert.Equal(2 + OprfSuite.ElementLength + 1, baseMode.ToArray().Length);
        Assert.NotNull(verifiable.Proof);
        Assert.Equal(2 + OprfSuite.ElementLength + 1 + OprfSuite.ProofLength, verifiable.ToArray().Length);
        Assert.Equal(baseMode.EvaluatedElements[0], verifiable.EvaluatedElements[0]);
    }

    [Fact]
    public void A_verifiable_client_needs_the_server_public_key()
    {
        Assert.Throws<ArgumentException>(() => new OprfClient(OprfMode.Voprf));
        Assert.Throws<ArgumentException>(() => new OprfClient(OprfMode.Oprf, OprfKeyPair.Generate().PublicKey));
    }

    [Fact]
    public void An_input_longer_than_the_2_byte_length_prefix_allows_is_refused()
    {
        var client = new OprfClient(OprfMode.Oprf);

        Assert.Throws<ArgumentException>(() => client.Blind(new byte[OprfSuite.MaxInputLength + 1]));
        Assert.Equal(OprfSuite.ElementLength, client.Blind(new byte[OprfSuite.MaxInputLength]).BlindedElement.Encoded.Length);
    }

    private static OprfClient NewClient(OprfMode mode, OprfKeyPair key) =>
        mode == OprfMode.Voprf ? new OprfClient(mode, key.PublicKey) : new OprfClient(mode);
}
