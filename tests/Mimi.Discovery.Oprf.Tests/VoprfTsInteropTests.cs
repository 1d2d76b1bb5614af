using System.Security.Cryptography;
using Mimi.Discovery.Oprf.Tests.Support;

namespace Mimi.Discovery.Oprf.Tests;

/// <summary>Both directions against @cloudflare/voprf-ts 1.0.0, over the wire format both sides share.</summary>
public sealed class VoprfTsInteropTests
{
    public static TheoryData<OprfMode> Modes => [OprfMode.Oprf, OprfMode.Voprf];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Voprf_ts_client_finalizes_our_evaluation_to_our_output(OprfMode mode)
    {
        var key = OprfKeyPair.Generate();
        var server = new OprfServer(mode, key);
        byte[][] inputs = [RandomInput(), RandomInput(), "tel:+15550001111"u8.ToArray()];
        var publicKey = mode == OprfMode.Voprf ? key.PublicKey.ToString() : "-";

        var blinded = VoprfPeer.Run("blind", VoprfPeer.ModeName(mode), publicKey, string.Join(',', inputs.Select(Convert.ToHexStringLower)));
        Assert.True(blinded.Succeeded, blinded.Error);
        var request = OprfEvaluationRequest.Decode(Convert.FromHexString(blinded.Get("request")));
        Assert.Equal(OprfStatus.Success, request.Status);
        var evaluation = server.BlindEvaluate(request.Value!.BlindedElements);

        var finalized = VoprfPeer.Run(
            "finalize", VoprfPeer.ModeName(mode), publicKey, blinded.Get("finalizeData"), Convert.ToHexStringLower(evaluation.ToArray()));

        Assert.True(finalized.Succeeded, finalized.Error);
        Assert.Equal(inputs.Select(i => Convert.ToHexStringLower(server.Evaluate(i))), finalized.GetList("outputs"));
    }

    [Fact]
    public void Voprf_ts_client_rejects_our_proof_against_another_public_key()
    {
        var server = new OprfServer(OprfMode.Voprf, OprfKeyPair.Generate());
        var otherKey = OprfKeyPair.Generate().PublicKey.ToString();
        var blinded = VoprfPeer.Run("blind", "voprf", otherKey, Convert.ToHexStringLower(RandomInput()));
        Assert.True(blinded.Succeeded, blinded.Error);
        var request = OprfEvaluationRequest.Decode(Convert.FromHexString(blinded.Get("request"))).Value!;
        var evaluation = server.BlindEvaluate(request.BlindedElements);

        var finalized = VoprfPeer.Run("finalize", "voprf", otherKey, blinded.Get("finalizeData"), Convert.ToHexStringLower(evaluation.ToArray()));

        Assert.False(finalized.Succeeded);
        Assert.Contains("proof", finalized.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Our_client_finalizes_voprf_ts_evaluation_to_its_output(OprfMode mode)
    {
        var key = OprfKeyPair.Generate();
        var client = mode == OprfMode.Voprf ? new OprfClient(mode, key.PublicKey) : new OprfClient(mode);
        byte[][] inputs = [RandomInput(), RandomInput()];
        var blinded = inputs.Select(i => client.Blind(i)).ToArray();
        var request = new OprfEvaluationRequest([.. blinded.Select(b => b.BlindedElement)]);
        var privateKey = Convert.ToHexStringLower(key.ExportPrivateKey());

        var evaluated = VoprfPeer.Run("evaluate", VoprfPeer.ModeName(mode), privateKey, Convert.ToHexStringLower(request.ToArray()));
        Assert.True(evaluated.Succeeded, evaluated.Error);
        var evaluation = OprfEvaluation.Decode(Convert.FromHexString(evaluated.Get("evaluation")));
        Assert.Equal(OprfStatus.Success, evaluation.Status);
        Assert.Equal(mode == OprfMode.Voprf, evaluation.Value!.Proof is not null);

        var outputs = client.Finalize(blinded, evaluation.Value);

        Assert.Equal(OprfStatus.Success, outputs.Status);
        for (var i = 0; i < inputs.Length; i++)
        {
            var peerOutput = VoprfPeer.Run("prf", VoprfPeer.ModeName(mode), privateKey, Convert.ToHexStringLower(inputs[i]));
            Assert.True(peerOutput.Succeeded, peerOutput.Error);
            Assert.Equal(peerOutput.Get("output"), Convert.ToHexStringLower(outputs.Value![i]));
        }
    }

    [Fact]
    public void Our_client_rejects_voprf_ts_proof_made_with_another_key()
    {
        var expected = OprfKeyPair.Generate();
        var actual = OprfKeyPair.Generate();
        var client = new OprfClient(OprfMode.Voprf, expected.PublicKey);
        var blinded = client.Blind(RandomInput());
        var request = new OprfEvaluationRequest([blinded.BlindedElement]);

        var evaluated = VoprfPeer.Run(
            "evaluate", "voprf", Convert.ToHexStringLower(actual.ExportPrivateKey()), Convert.ToHexStringLower(request.ToArray()));
        Assert.True(evaluated.Succeeded, evaluated.Error);
        var evaluation = OprfEvaluation.Decode(Convert.FromHexString(evaluated.Get("evaluation"))).Value!;

        Assert.Equal(OprfStatus.InvalidProof, client.Finalize([blinded], evaluation).Status);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Voprf_ts_derives_the_same_key_pair_from_a_random_seed(OprfMode mode)
    {
        var seed = RandomNumberGenerator.GetBytes(OprfSuite.SeedLength);
        var info = RandomNumberGenerator.GetBytes(11);

        var derived = VoprfPeer.Run("derive", VoprfPeer.ModeName(mode), Convert.ToHexStringLower(seed), Convert.ToHexStringLower(info));
        var ours = OprfKeyPair.Derive(mode, seed, info);

        Assert.True(derived.Succeeded, derived.Error);
        Assert.Equal(derived.Get("privateKey"), Convert.ToHexStringLower(ours.ExportPrivateKey()));
        Assert.Equal(derived.Get("publicKey"), ours.PublicKey.ToString());
    }

    private static byte[] RandomInput() => RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(1, 64));
}
