using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

public class MlsLeafNodeRulesTests
{
    private const MlsCipherSuite Suite = LeafNodes.Suite;
    private static readonly byte[] GroupId = "group"u8.ToArray();
    private readonly LeafSpec _alice = new();
    private readonly MlsPublicTree _tree;

    public MlsLeafNodeRulesTests() => _tree = MlsPublicTree.Create(LeafNodes.Build(_alice));

    [Fact]
    public void A_valid_key_package_leaf_passes()
    {
        Assert.Null(Check(1, LeafNodes.Build(), MlsLeafNodeSource.KeyPackage));
    }

    [Fact]
    public void The_source_must_be_the_one_the_context_requires()
    {
        var detail = Check(1, LeafNodes.Build(), MlsLeafNodeSource.Commit);
        Assert.Contains("source is KeyPackage; Commit is required", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_or_future_key_package_leaf_is_refused()
    {
        var past = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds();
        Assert.Contains("expired", Check(1, LeafNodes.Build(new LeafSpec { NotBefore = (ulong)past - 10, NotAfter = (ulong)past }), MlsLeafNodeSource.KeyPackage), StringComparison.Ordinal);
        var future = DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds();
        Assert.Contains("valid from", Check(1, LeafNodes.Build(new LeafSpec { NotBefore = (ulong)future, NotAfter = (ulong)future + 10 }), MlsLeafNodeSource.KeyPackage), StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_signature_is_refused()
    {
        var leaf = LeafNodes.Build();
        var bytes = leaf.Encoded.ToArray();
        bytes[^1] ^= 0x01;
        Assert.Contains("does not verify", Check(1, LeafNodes.Parse(bytes), MlsLeafNodeSource.KeyPackage), StringComparison.Ordinal);
    }

    [Fact]
    public void Update_and_commit_leaves_sign_the_group_id_and_their_leaf_index()
    {
        var update = LeafNodes.Build(_alice with { Source = MlsLeafNodeSource.Update, EncryptionKey = new LeafSpec().EncryptionKey, LeafIndex = 0 });
        Assert.Null(Check(0, update, MlsLeafNodeSource.Update));
        Assert.Equal(MlsSignatureCheck.Valid, MlsLeafNodeRules.VerifySignature(Suite, update, GroupId, 0));
        Assert.Equal(MlsSignatureCheck.Invalid, MlsLeafNodeRules.VerifySignature(Suite, update, GroupId, 1));
        Assert.Equal(MlsSignatureCheck.Invalid, MlsLeafNodeRules.VerifySignature(Suite, update, "other"u8, 0));
    }

    [Fact]
    public void Signature_keys_are_unique_among_other_members_but_a_member_keeps_its_own()
    {
        Assert.Contains("signature key is already used by the member at leaf 0", Check(1, LeafNodes.Build(new LeafSpec { SigningSeed = _alice.SigningSeed }), MlsLeafNodeSource.KeyPackage), StringComparison.Ordinal);
    }

    [Fact]
    public void An_encryption_key_in_use_anywhere_in_the_tree_is_refused()
    {
        Assert.Contains("already used by the member at leaf 0", Check(1, LeafNodes.Build(new LeafSpec { EncryptionKey = _alice.EncryptionKey }), MlsLeafNodeSource.KeyPackage), StringComparison.Ordinal);

        var sameKey = LeafNodes.Build(_alice with { Source = MlsLeafNodeSource.Update });
        Assert.Contains("is the one leaf 0 has now", Check(0, sameKey, MlsLeafNodeSource.Update), StringComparison.Ordinal);

        var parent = LeafNodes.Parent();
        Assert.True(MlsPublicTree.TryDecode(LeafNodes.Contents(LeafNodes.Build(), parent, LeafNodes.Build()), out var tree, out _));
        var reused = LeafNodes.Build(new LeafSpec { EncryptionKey = parent.EncryptionKey.ToArray() });
        Assert.Contains("key of parent node 1", MlsLeafNodeRules.Check(Suite, tree, 2, reused, GroupId, MlsLeafNodeSource.KeyPackage, DateTimeOffset.UtcNow), StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_types_must_be_supported_both_ways()
    {
        var x509 = LeafNodes.Build(new LeafSpec { CredentialType = MlsCredentialType.X509 });
        var tree = MlsPublicTree.Create(LeafNodes.Build(new LeafSpec { CredentialCapabilities = [1] }));
        Assert.Contains("not supported by the member at leaf 0", MlsLeafNodeRules.Check(Suite, tree, 1, x509, GroupId, MlsLeafNodeSource.KeyPackage, DateTimeOffset.UtcNow), StringComparison.Ordinal);

        var basicOnlyX509 = LeafNodes.Build(new LeafSpec { CredentialCapabilities = [2] });
        Assert.Contains("does not support credential type Basic", Check(1, basicOnlyX509, MlsLeafNodeSource.KeyPackage), StringComparison.Ordinal);
    }

    [Fact]
    public void The_leafs_own_extensions_must_be_in_its_capabilities()
    {
        Assert.Contains("0x0f0f, which its capabilities do not list", Check(1, LeafNodes.Build(new LeafSpec { Extensions = [0x0F0F] }), MlsLeafNodeSource.KeyPackage), StringComparison.Ordinal);
        Assert.Null(Check(1, LeafNodes.Build(new LeafSpec { Extensions = [0x0F0F], ExtensionCapabilities = [0x0F0F] }), MlsLeafNodeSource.KeyPackage));
    }

    [Fact]
    public void The_groups_required_capabilities_must_be_supported()
    {
        var required = MlsSamples.Build(w => new MlsRequiredCapabilities(ValueArray.Create<ushort>(0x0F0F), ValueArray.Create<ushort>(0x0008), default).Write(w));
        var extensions = ValueArray.Create(new MlsExtension(MlsExtensionTypes.RequiredCapabilities, ByteString.CopyFrom(required)));

        var lacking = LeafNodes.Build(new LeafSpec { ProposalCapabilities = [0x0008] });
        Assert.Contains("extension 0x0f0f, which the group requires", Check(1, lacking, MlsLeafNodeSource.KeyPackage, extensions), StringComparison.Ordinal);
        var noProposal = LeafNodes.Build(new LeafSpec { ExtensionCapabilities = [0x0F0F] });
        Assert.Contains("proposal type 0x0008", Check(1, noProposal, MlsLeafNodeSource.KeyPackage, extensions), StringComparison.Ordinal);
        var supporting = LeafNodes.Build(new LeafSpec { ExtensionCapabilities = [0x0F0F], ProposalCapabilities = [0x0008] });
        Assert.Null(Check(1, supporting, MlsLeafNodeSource.KeyPackage, extensions));

        var broken = ValueArray.Create(new MlsExtension(MlsExtensionTypes.RequiredCapabilities, ByteString.CopyFrom([9])));
        Assert.Contains("cannot be read", Check(1, supporting, MlsLeafNodeSource.KeyPackage, broken), StringComparison.Ordinal);
    }

    private string? Check(uint leafIndex, MlsLeafNode node, MlsLeafNodeSource source, ValueArray<MlsExtension> extensions = default) =>
        MlsLeafNodeRules.Check(Suite, _tree, leafIndex, node, GroupId, source, DateTimeOffset.UtcNow, extensions);
}
