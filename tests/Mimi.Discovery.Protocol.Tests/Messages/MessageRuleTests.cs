using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Messages;

/// <summary>Rules of draft-ietf-mimi-protocol-06 beyond plain syntax, and the error contract.</summary>
public class MessageRuleTests
{
    private static MlsKeyPackage AKeyPackage() => MlsSamples.ParseKeyPackage(MlsSamples.KeyPackage(1, new byte[32], [1], [0x0A0A], new byte[64]));

    [Fact]
    public void A_noConsent_response_must_not_list_clients()
    {
        var withClients = new KeyMaterialResponse(MimiProtocol.Mls10, KeyMaterialUserCode.Success, "mimi://b.example/u/bob",
            ValueArray.Create(ClientKeyMaterial.Claimed("mimi://b.example/d/b1", AKeyPackage()))).Encode();
        withClients[1] = (byte)KeyMaterialUserCode.NoConsent;

        Assert.False(KeyMaterialResponse.TryDecode(withClients, out _, out var error));
        Assert.Equal(TlsErrorKind.InvalidValue, error.Kind);
        Assert.Equal("KeyMaterialResponse.clients", error.Field);
        Assert.Throws<InvalidOperationException>(() =>
            new KeyMaterialResponse(MimiProtocol.Mls10, KeyMaterialUserCode.NoConsent, "u", ValueArray.Create(ClientKeyMaterial.Claimed("c", AKeyPackage()))).Encode());
    }

    [Fact]
    public void NoConsent_encodes_as_the_drafts_code_5()
    {
        var body = new KeyMaterialResponse(MimiProtocol.Mls10, KeyMaterialUserCode.NoConsent, "mimi://b.example/u/bob", default).Encode();
        Assert.Equal("0105166d696d693a2f2f622e6578616d706c652f752f626f6200", Convert.ToHexStringLower(body));
    }

    [Fact]
    public void A_consent_request_has_the_drafts_layout()
    {
        var entry = ConsentEntry.For(ConsentOperation.Request, new ConsentScope("mimi://a.example/u/alice", "mimi://b.example/u/bob", null));
        var hex = Convert.ToHexStringLower(entry.Encode());
        // operation, requesterUri<V>, targetUri<V>, optional<RoomId> absent, empty AppDataDictionary.
        Assert.Equal("01" + "18" + Convert.ToHexStringLower("mimi://a.example/u/alice"u8) + "16" + Convert.ToHexStringLower("mimi://b.example/u/bob"u8) + "00" + "00", hex);
    }

    [Fact]
    public void Errors_name_the_nested_field()
    {
        var grant = new ConsentEntry(ConsentOperation.Grant, "mimi://a.example/u/alice", "mimi://b.example/u/bob", "mimi://a.example/r/x",
            ValueArray.Create(AKeyPackage(), AKeyPackage()), AppDataDictionary.Empty).Encode();
        var cut = grant.AsSpan(0, grant.Length - 10);

        Assert.False(ConsentEntry.TryDecode(cut, out _, out var error));
        Assert.StartsWith("ConsentEntry.clientKeyPackages", error.Field, StringComparison.Ordinal);
        Assert.Contains("at byte", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsorted_AppDataDictionary_is_rejected()
    {
        var report = new AbuseReport("", "mimi://b.example/u/spammer", 0, "", default,
            new AppDataDictionary(ValueArray.Create(new ComponentData(5, default), new ComponentData(5, default)))).Encode();
        Assert.False(AbuseReport.TryDecode(report, out _, out var error));
        Assert.Equal(TlsErrorKind.InvalidValue, error.Kind);
        Assert.StartsWith("AbuseReport.abuse_extensions", error.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void An_update_must_carry_a_proposal_or_commit()
    {
        var application = MlsSamples.PrivateMessage([1], 1, MlsContentType.Application, [1, 2, 3]);
        Assert.False(UpdateRequest.TryDecode(application, out _, out var error));
        Assert.Equal(TlsErrorKind.InvalidValue, error.Kind);
        Assert.Equal("UpdateRequest.bundle.proposalOrCommit", error.Field);
    }

    [Fact]
    public void Notify_bodies_may_concatenate_fanout_messages()
    {
        var app = MlsSamples.ParseMessage(MlsSamples.PrivateMessage([1], 5, MlsContentType.Application, [9]));
        var commit = MlsSamples.ParseMessage(MlsSamples.PublicMessage([1], 5, MlsContentType.Commit, false));
        var messages = new[]
        {
            new FanoutMessage(1, commit, null, null, default, default),
            new FanoutMessage(2, app, null, null, default, default),
        };
        Assert.True(FanoutMessage.TryDecodeAll(FanoutMessage.EncodeAll(messages), out var decoded, out var error), error.Message);
        Assert.Equal(messages, decoded);

        Assert.False(FanoutMessage.TryDecodeAll([], out _, out var empty));
        Assert.Equal(TlsErrorKind.Truncated, empty.Kind);
    }

    [Fact]
    public void A_KeyPackage_message_is_not_fanned_out()
    {
        var kp = MlsSamples.Wrap(MlsWireFormat.KeyPackage, AKeyPackage().Encoded.ToArray());
        Assert.False(FanoutMessage.TryDecode([0, 0, 0, 0, 0, 0, 0, 1, .. kp], out _, out var error));
        Assert.Equal(("FanoutMessage.message", TlsErrorKind.InvalidValue), (error.Field, error.Kind));
    }

    [Fact]
    public void The_KeyMaterialRequest_signature_covers_everything_before_it()
    {
        var request = new KeyMaterialRequest(MimiProtocol.Mls10, "mimi://a.example/u/alice", "mimi://b.example/u/bob", "",
            ValueArray.Create(MlsCipherSuite.X25519Aes128GcmSha256Ed25519), MlsRequiredCapabilities.None,
            ByteString.CopyFrom(new byte[32]), MlsCredential.Basic(ByteString.CopyFrom("alice"u8)), ByteString.CopyFrom(new byte[64]));
        var body = request.Encode();
        var tbs = request.EncodeTbs();
        Assert.Equal(body.AsSpan(0, tbs.Length).ToArray(), tbs);
        Assert.Equal(tbs.Length + 2 + 64, body.Length); // 64 needs a two-byte varint
    }

    [Fact]
    public void Decode_failures_map_to_a_problem_without_echoing_input()
    {
        Assert.False(KeyMaterialRequest.TryDecode([1, 0x05, (byte)'<'], out _, out var error));
        var problem = DecodeProblem.From(error, nameof(KeyMaterialRequest));
        Assert.Equal("truncated", problem.Code);
        Assert.Equal("The request body is not a valid KeyMaterialRequest.", problem.Title);
        Assert.Equal("KeyMaterialRequest.requestingUser", problem.Field);
        Assert.Equal(1, problem.Offset);
        Assert.DoesNotContain("<", problem.Detail, StringComparison.Ordinal);

        Assert.False(ConsentEntry.TryDecode(new byte[10], out _, out var big, new TlsReaderOptions { MaxInputLength = 4 }));
        Assert.Equal("too-large", DecodeProblem.From(big, nameof(ConsentEntry)).Code);
    }
}
