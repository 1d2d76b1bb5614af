using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>
/// Signatures and transcript hashes of real ts-mls commits: the FramedContentTBS signature verifies with the committer's
/// key and the GroupContext of the commit's epoch (from the GroupInfo ts-mls published for it), the GroupInfo is signed
/// by its signer, and the confirmed transcript hash follows from the previous epoch's.
/// </summary>
public class FramedContentSignatureTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private MlsPeer Peer => fixture.Peer;

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task A_members_commit_verifies_with_its_key_and_the_epochs_context(MlsCipherSuite suite)
    {
        var (alice, bob, carol) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"));
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        var aliceKey = await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice", suite);
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob", suite);
        var carolKey = await Peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol", suite);
        await Peer.CreateGroupAsync(alice, room);
        var first = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(bob)).KeyPackage);
        var second = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(carol)).KeyPackage);

        var before = GroupInfo(first.GroupInfo);
        var after = GroupInfo(second.GroupInfo);
        var commit = PublicMessage(second.Commit);
        Assert.Equal((1UL, 2UL, 1UL), (before.Epoch, after.Epoch, commit.Content.Epoch));
        Assert.Equal(MlsSender.Member(0), commit.Content.Sender);
        Assert.Single(commit.Content.Commit!.Proposals);
        Assert.Equal(MlsProposalType.Add, commit.Content.Commit.Proposals[0].Proposal!.Type);

        Assert.Equal(MlsSignatureCheck.Valid, commit.VerifySignature(before.Context, aliceKey));
        Assert.Equal(MlsSignatureCheck.Invalid, commit.VerifySignature(before.Context, carolKey));
        Assert.Equal(MlsSignatureCheck.Invalid, commit.VerifySignature(after.Context, aliceKey));
        Assert.Equal(MlsSignatureCheck.Invalid, commit.VerifySignature(before.Context with { Epoch = 7 }, aliceKey));

        var changed = Changed(commit.Signature);
        Assert.Equal(MlsSignatureCheck.Invalid, MlsPublicMessage.Create(commit.Content, changed, commit.ConfirmationTag, commit.MembershipTag).VerifySignature(before.Context, aliceKey));
        var content = commit.Content;
        var otherData = MlsFramedContent.ForCommit(content.GroupId, content.Epoch, content.Sender, ByteString.CopyFrom([1]), content.Commit);
        Assert.Equal(MlsSignatureCheck.Invalid, MlsPublicMessage.Create(otherData, commit.Signature, commit.ConfirmationTag, commit.MembershipTag).VerifySignature(before.Context, aliceKey));

        Assert.Equal(0U, after.Signer);
        Assert.Equal(MlsSignatureCheck.Valid, after.VerifySignature(aliceKey));
        Assert.Equal(MlsSignatureCheck.Invalid, after.VerifySignature(carolKey));
        var forgedInfo = MlsGroupInfo.Create(after.Context with { Epoch = 3 }, after.Extensions, after.ConfirmationTag, after.Signer, after.Signature);
        Assert.Equal(MlsSignatureCheck.Invalid, forgedInfo.VerifySignature(aliceKey));

        // §8.2: interim(1) from the epoch-1 GroupInfo; the commit then gives epoch 2's confirmed hash.
        var interim = MlsTranscript.Interim(suite, before.Context.ConfirmedTranscriptHash.Span, before.ConfirmationTag.Span);
        Assert.Equal(after.Context.ConfirmedTranscriptHash, MlsTranscript.Confirmed(suite, interim.Span, commit));
        Assert.Equal(after.ConfirmationTag, commit.ConfirmationTag);
    }

    [Fact]
    public async Task An_external_commit_verifies_with_the_joiners_key_and_the_context_it_joined()
    {
        var (alice, dave) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("dave"));
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        var aliceKey = await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        var daveKey = await Peer.CreateClientAsync(dave, "mimi://delta.test/d/dave");
        await Peer.CreateGroupAsync(alice, room);
        var dummy = MlsPeerFixture.Unique("bob");
        await Peer.CreateClientAsync(dummy, "mimi://beta.test/d/bob");
        var added = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(dummy)).KeyPackage);
        var joined = await Peer.JoinExternalAsync(dave, added.GroupInfo, added.RatchetTree);

        var context = GroupInfo(added.GroupInfo).Context;
        var commit = PublicMessage(joined.Commit);
        Assert.Equal(MlsSenderType.NewMemberCommit, commit.Content.Sender.Type);
        Assert.Null(commit.MembershipTag);
        Assert.Contains(commit.Content.Commit!.Proposals, p => p.Proposal?.Type == MlsProposalType.ExternalInit);
        Assert.Equal(daveKey, commit.Content.Commit.Path!.LeafNode.SignatureKey.ToArray());
        Assert.Equal(MlsSignatureCheck.Valid, commit.VerifySignature(context, daveKey));
        Assert.Equal(MlsSignatureCheck.Invalid, commit.VerifySignature(context, aliceKey));
        Assert.Equal(MlsSignatureCheck.Invalid, commit.VerifySignature(context with { TreeHash = Changed(context.TreeHash) }, daveKey));
    }

    private static MlsGroupInfo GroupInfo(byte[] message)
    {
        Assert.True(MlsMessage.TryDecode(message, out var decoded, out var error), error.Message);
        return decoded.GroupInfo!;
    }

    private static MlsPublicMessage PublicMessage(byte[] message)
    {
        Assert.True(MlsMessage.TryDecode(message, out var decoded, out var error), error.Message);
        Assert.Equal(message, decoded.PublicMessage!.ToMessage().Encoded.ToArray());
        return decoded.PublicMessage;
    }

    private static ByteString Changed(ByteString value)
    {
        var bytes = value.ToArray();
        bytes[^1] ^= 0x01;
        return ByteString.CopyFrom(bytes);
    }
}
