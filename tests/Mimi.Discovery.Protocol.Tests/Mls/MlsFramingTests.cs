using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

public class MlsFramingTests
{
    [Fact]
    public void KeyPackageRef_is_RefHash_over_the_KeyPackage_with_its_suites_hash()
    {
        var bytes = MlsSamples.KeyPackage(1, new byte[32], "bob"u8.ToArray(), [0x0A0A], new byte[64]);
        var keyPackage = MlsSamples.ParseKeyPackage(bytes);

        // RefHashInput = label<V> || value<V>, written out by hand here.
        var label = Encoding.ASCII.GetBytes("MLS 1.0 KeyPackage Reference");
        var input = new List<byte> { (byte)label.Length };
        input.AddRange(label);
        input.Add((byte)(0x40 | (bytes.Length >> 8)));
        input.Add((byte)bytes.Length);
        input.AddRange(bytes);

        Assert.True(keyPackage.TryComputeRef(out var reference));
        Assert.Equal(SHA256.HashData(input.ToArray()), reference.ToArray());
    }

    [Theory]
    [InlineData(MlsCipherSuite.P384Aes256GcmSha384P384, 48)]
    [InlineData(MlsCipherSuite.X448Aes256GcmSha512Ed448, 64)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256, 32)]
    public void RefHash_uses_the_suites_hash(MlsCipherSuite suite, int length)
    {
        Assert.True(MlsRefHash.TryCompute(suite, "x", [1], out var reference));
        Assert.Equal(length, reference.Length);
    }

    [Fact]
    public void RefHash_of_an_unknown_suite_is_refused_not_guessed() =>
        Assert.False(MlsRefHash.TryCompute((MlsCipherSuite)0xF031, "x", [1], out _));

    [Fact]
    public void KeyPackages_with_GREASE_in_capabilities_and_extensions_parse()
    {
        ushort[] grease = [0x0A0A, 0x5A5A, 0xFAFA];
        var keyPackage = MlsSamples.ParseKeyPackage(MlsSamples.KeyPackage(3, new byte[32], [1, 2], grease, new byte[64]));
        Assert.Equal(MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519, keyPackage.CipherSuite);
        Assert.Contains((ushort)0x5A5A, keyPackage.LeafNode.Capabilities.CipherSuites);
        Assert.Equal(3, keyPackage.Extensions.Count);
        Assert.Equal(MlsCredentialType.Basic, keyPackage.LeafNode.Credential.CredentialType);
        Assert.Equal(1_900_000_000UL, keyPackage.LeafNode.NotAfter);
        Assert.Equal(keyPackage.Encoded.Length - 66, keyPackage.SignedContent.Length);
    }

    [Fact]
    public void A_credential_of_unknown_type_cannot_be_framed_and_says_where()
    {
        var bytes = MlsSamples.KeyPackage(1, new byte[32], [1], [], new byte[64]);
        // init_key is 1 + 32 bytes after version and suite; then encryption_key (1 + 33), signature_key (1 + 33).
        var credentialAt = 4 + 33 + 34 + 34;
        bytes[credentialAt + 1] = 0x07;
        Assert.False(MlsKeyPackage.TryDecode(bytes, out _, out var error));
        Assert.Equal(TlsErrorKind.UnknownEnumValue, error.Kind);
        Assert.Equal("KeyPackage.leaf_node.credential.credential_type", error.Field);
        Assert.Equal(credentialAt, error.Offset);
    }

    [Fact]
    public void MlsMessage_exposes_routing_fields()
    {
        var commit = MlsSamples.ParseMessage(MlsSamples.PublicMessage([1, 2], 42, MlsContentType.Commit, withPath: true));
        Assert.Equal(MlsWireFormat.PublicMessage, commit.WireFormat);
        Assert.Equal(MlsContentType.Commit, commit.ContentType);
        Assert.Equal(42UL, commit.Epoch);
        Assert.Equal(MlsSenderType.Member, commit.SenderType);
        Assert.Equal(3U, commit.SenderIndex);
        Assert.Equal("0102", commit.GroupId.ToHex());

        var welcome = MlsSamples.ParseMessage(MlsSamples.Wrap(MlsWireFormat.Welcome, MlsSamples.Welcome(1, [new byte[32], Enumerable.Repeat((byte)7, 32).ToArray()], [5])));
        Assert.Equal(2, welcome.Welcome!.Secrets.Count);
        Assert.Equal(Enumerable.Repeat((byte)7, 32).ToArray(), welcome.Welcome.Secrets[1].NewMember.ToArray());
    }

    [Fact]
    public void ProposalRef_is_computed_for_public_proposals_only()
    {
        var proposal = MlsSamples.ParseMessage(MlsSamples.PublicMessage([1], 1, MlsContentType.Proposal, false));
        Assert.True(proposal.TryComputeProposalRef(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, out var reference));
        Assert.Equal(32, reference.Length);
        var commit = MlsSamples.ParseMessage(MlsSamples.PublicMessage([1], 1, MlsContentType.Commit, false));
        Assert.False(commit.TryComputeProposalRef(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, out _));
    }

    [Fact]
    public void Unknown_wire_formats_and_versions_fail()
    {
        Assert.False(MlsMessage.TryDecode(Convert.FromHexString("00010006"), out _, out var wire));
        Assert.Equal(("MLSMessage.wire_format", TlsErrorKind.UnknownEnumValue), (wire.Field, wire.Kind));
        Assert.False(MlsMessage.TryDecode(Convert.FromHexString("00020001"), out _, out var version));
        Assert.Equal(("MLSMessage.version", TlsErrorKind.UnknownEnumValue), (version.Field, version.Kind));
    }

    [Property(MaxTest = 3000)]
    public void Random_bytes_never_throw_from_any_decoder(byte[] bytes)
    {
        MlsMessage.TryDecode(bytes, out _, out _);
        MlsKeyPackage.TryDecode(bytes, out _, out _);
        MlsWelcome.TryDecode(bytes, out _, out _);
        MlsGroupInfo.TryDecode(bytes, out _, out _);
        KeyMaterialRequest.TryDecode(bytes, out _, out _);
        KeyMaterialResponse.TryDecode(bytes, out _, out _);
        ConsentEntry.TryDecode(bytes, out _, out _);
        ConsentScope.TryDecode(bytes, out _, out _);
        UpdateRequest.TryDecode(bytes, out _, out _);
        UpdateRoomResponse.TryDecode(bytes, out _, out _);
        SubmitMessageRequest.TryDecode(bytes, out _, out _);
        SubmitMessageResponse.TryDecode(bytes, out _, out _);
        FanoutMessage.TryDecodeAll(bytes, out _, out _);
        GroupInfoRequest.TryDecode(bytes, out _, out _);
        GroupInfoResponse.TryDecode(bytes, out _, out _);
        GroupInfoRatchetTreeTbe.TryDecode(bytes, out _, out _);
        IdentifierRequest.TryDecode(bytes, out _, out _);
        IdentifierResponse.TryDecode(bytes, out _, out _);
        AbuseReport.TryDecode(bytes, out _, out _);
    }

    [Property(MaxTest = 3000)]
    public void Random_bytes_behind_a_valid_header_never_throw(byte[] tail, byte wireFormat, byte prefix)
    {
        // Gets past the first fields so the fuzzing reaches the nested decoders.
        var mls = new byte[] { 0, 1, 0, (byte)(wireFormat % 6) }.Concat(tail).ToArray();
        MlsMessage.TryDecode(mls, out _, out _);
        SubmitMessageRequest.TryDecode([1, .. mls], out _, out _);
        UpdateRequest.TryDecode(mls, out _, out _);
        FanoutMessage.TryDecodeAll([0, 0, 0, 0, 0, 0, 0, 1, .. mls], out _, out _);
        KeyMaterialResponse.TryDecode([1, (byte)(prefix % 3), 0, .. tail], out _, out _);
        ConsentEntry.TryDecode([2, 0, 0, 0, .. tail], out _, out _);
    }
}
