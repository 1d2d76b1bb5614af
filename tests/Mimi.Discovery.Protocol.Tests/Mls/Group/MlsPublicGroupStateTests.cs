using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls.Group;

/// <summary>
/// The public group state against ts-mls: it follows a live group through adds, proposals by reference, updates,
/// removes and an external join with the epoch, tree hash, transcript hash and members each ts-mls member computes, and
/// refuses each forgery by the check that names it, leaving the state it was given as it was.
/// </summary>
public class MlsPublicGroupStateTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private MlsPeer Peer => fixture.Peer;

    public static TheoryData<string> Transcripts => TsMlsTranscript.Names();

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Replays_a_fixed_ts_mls_transcript_with_the_state_ts_mls_recorded(string name)
    {
        var transcript = TsMlsTranscript.Load(name);
        var now = transcript.Now;
        var creation = MlsGroupScene.GroupInfo(transcript.Creation.GroupInfo);
        Assert.True(MlsPublicGroupState.TryCreate(creation, MlsGroupScene.TreeContents(transcript.Creation.RatchetTree), now, out var state, out var refusal), refusal.ToString());
        var pending = 0;
        foreach (var (step, index) in transcript.Steps.Select((s, i) => (s, i)))
        {
            var message = MlsGroupScene.Message(step.Message);
            MlsPublicGroupState? next;
            if (step.IsCommit)
            {
                var attachments = new MlsCommitAttachments(MlsGroupScene.GroupInfo(step.GroupInfo!), MlsGroupScene.TreeContents(step.RatchetTree!));
                Assert.True(state.TryApplyCommit(message, attachments, now, out next, out refusal), $"{step.Label}: {refusal}");
                pending = 0;
            }
            else
            {
                Assert.True(state.TryApplyProposal(message, (ulong)index, now, out next, out refusal), $"{step.Label}: {refusal}");
                pending++;
            }

            // Stored and read back after every step: the hub restarts between any two messages.
            Assert.True(MlsPublicGroupState.TryDecode(next.Encode(), out state, out var error), error.Message);
            Assert.Equal(step.Epoch, state.Context.Epoch);
            Assert.Equal(step.TreeHash, state.Context.TreeHash.ToHex());
            Assert.Equal(step.TreeHash, state.Tree.TreeHash(state.Context.CipherSuite).ToHex());
            Assert.Equal(step.ConfirmedTranscriptHash, state.Context.ConfirmedTranscriptHash.ToHex());
            Assert.Equal(step.Members, state.Members.Select(m => m.Node.Credential.BasicIdentity!).ToArray());
            Assert.Equal(pending, state.PendingProposals.Count);
        }

        Assert.Contains(transcript.Steps, s => s.IsCommit);
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task Follows_a_live_group_as_its_members_see_it(MlsCipherSuite suite)
    {
        var scene = await MlsGroupScene.StartAsync(Peer, suite);
        var (alice, bob, carol, room) = (scene.Alice, scene.Bob, scene.Carol, scene.Room);
        await AgreesAsync(scene, alice);

        // Bob refreshes his leaf with a path; Alice processes it.
        var update = await Peer.UpdateAsync(bob, room);
        scene.Apply(update);
        await Peer.ProcessAsync(alice, update.Commit);
        await AgreesAsync(scene, alice);

        // A standalone Add from Bob, pending, then committed by Alice by reference.
        var proposal = await Peer.ProposeAsync(bob, room, MlsPeerProposalKind.Add, (await Peer.KeyPackageAsync(carol)).KeyPackage);
        Assert.True(scene.State.TryApplyProposal(MlsGroupScene.Message(proposal.Message), 1234, MlsGroupScene.Now, out var pending, out var refusal), refusal.ToString());
        Assert.Equal(proposal.ProposalRef, Assert.Single(pending.PendingProposals).Reference.ToArray());
        Assert.Equal(1234UL, pending.PendingProposals[0].AcceptedTime);
        await Peer.ProcessAsync(alice, proposal.Message);
        var byReference = await Peer.CommitPendingAsync(alice, room);
        Assert.True(pending.TryApplyCommit(MlsGroupScene.Message(byReference.Commit), MlsGroupScene.Attachments(byReference), MlsGroupScene.Now, out var added, out refusal), refusal.ToString());
        Assert.Empty(added.PendingProposals);
        await Peer.ProcessAsync(bob, byReference.Commit);
        await Peer.JoinAsync(carol, byReference.Welcome, byReference.RatchetTree);
        scene.Adopt(added, byReference);
        await AgreesAsync(scene, alice);

        // Alice removes Bob; the others process it.
        var removed = await Peer.RemoveMemberAsync(alice, room, "mimi://beta.test/d/bob");
        scene.Apply(removed);
        await Peer.ProcessAsync(carol, removed.Commit);
        await AgreesAsync(scene, carol);
        Assert.DoesNotContain(scene.State.Members, m => m.Node.Credential.BasicIdentity == "mimi://beta.test/d/bob");

        // Dave joins by external commit from the latest GroupInfo and tree.
        var dave = MlsPeerFixture.Unique("dave");
        await Peer.CreateClientAsync(dave, "mimi://delta.test/d/dave", suite);
        var joined = await Peer.JoinExternalAsync(dave, removed.GroupInfo, removed.RatchetTree);
        scene.Apply(joined);
        await Peer.ProcessAsync(alice, joined.Commit);
        await AgreesAsync(scene, alice);
        await AgreesAsync(scene, dave);
        Assert.Equal(5UL, scene.State.Context.Epoch);
    }

    [Fact]
    public async Task A_commit_signed_by_a_key_that_is_not_the_senders_leaf_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var forged = await scene.CommitAsync(scene.Bob, MlsSender.Member(0), new MlsCommit(ValueArray.Create(MlsProposalOrRef.Inline(MlsProposal.ForRemove(1))), null));
        Refused(scene.State, forged, MlsCommitAttachments.None, MlsGroupCheck.Signature);
    }

    [Fact]
    public async Task A_commit_from_a_blank_leaf_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var forged = await scene.CommitAsync(scene.Bob, MlsSender.Member(3), new MlsCommit(default, null));
        Refused(scene.State, forged, MlsCommitAttachments.None, MlsGroupCheck.Sender);
    }

    [Fact]
    public async Task A_commit_from_a_removed_member_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        scene.Apply(await Peer.RemoveMemberAsync(scene.Alice, scene.Room, "mimi://beta.test/d/bob"));
        var forged = await scene.CommitAsync(scene.Bob, MlsSender.Member(1), new MlsCommit(ValueArray.Create(MlsProposalOrRef.Inline(MlsProposal.ForRemove(0))), null));
        var refusal = Refused(scene.State, forged, MlsCommitAttachments.None, MlsGroupCheck.Sender);
        Assert.Contains("not a member", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Remove_of_a_blank_leaf_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.ForRemove(7)), MlsCommitAttachments.None, MlsGroupCheck.Remove);
    }

    [Fact]
    public async Task A_committer_removing_itself_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.ForRemove(0)), MlsCommitAttachments.None, MlsGroupCheck.Remove);
    }

    [Fact]
    public async Task An_Add_with_a_bad_KeyPackage_signature_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var keyPackage = MlsGroupScene.Message((await Peer.KeyPackageAsync(scene.Carol)).KeyPackage).KeyPackage!;
        Assert.True(MlsKeyPackage.TryDecode(MlsGroupScene.Changed(keyPackage.Encoded).Span, out var forged, out _));
        var refusal = Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.ForAdd(forged)), MlsCommitAttachments.None, MlsGroupCheck.AddKeyPackage);
        Assert.Contains("signature", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Add_of_an_expired_KeyPackage_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expired = MlsGroupScene.Message((await Peer.KeyPackageAsync(scene.Carol, notBefore: now - 7200, notAfter: now - 3600)).KeyPackage).KeyPackage!;
        var refusal = Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.ForAdd(expired)), MlsCommitAttachments.None, MlsGroupCheck.AddKeyPackage);
        Assert.Contains("expired", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Add_of_a_client_already_in_the_group_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var again = MlsGroupScene.Message((await Peer.KeyPackageAsync(scene.Bob)).KeyPackage).KeyPackage!;
        Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.ForAdd(again)), MlsCommitAttachments.None, MlsGroupCheck.AddKeyPackage);
    }

    [Fact]
    public async Task An_UpdatePath_with_one_key_byte_changed_fails_the_parent_hash()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var honest = await Peer.UpdateAsync(scene.Alice, scene.Room);
        var commit = MlsGroupScene.Message(honest.Commit).PublicMessage!.Content.Commit!;
        var path = commit.Path!;
        var node = path.Nodes[0];
        var changedPath = new MlsUpdatePath(path.LeafNode, ValueArray.Create([new MlsUpdatePathNode(MlsGroupScene.Changed(node.EncryptionKey), node.EncryptedPathSecret), .. path.Nodes.Items[1..]]));
        var forged = await scene.CommitAsync(scene.Alice, MlsSender.Member(0), commit with { Path = changedPath });
        Refused(scene.State, forged, MlsCommitAttachments.None, MlsGroupCheck.ParentHash);

        // The honest one, re-signed the same way, passes: the change is what was refused.
        var resigned = await scene.CommitAsync(scene.Alice, MlsSender.Member(0), commit);
        Assert.True(scene.State.TryApplyCommit(resigned, MlsCommitAttachments.None, MlsGroupScene.Now, out _, out var refusal), refusal.ToString());
    }

    [Fact]
    public async Task A_commit_without_a_path_where_one_is_required_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        Refused(scene.State, await scene.AliceCommitsAsync(), MlsCommitAttachments.None, MlsGroupCheck.PathRequired);
        Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.ForRemove(1)), MlsCommitAttachments.None, MlsGroupCheck.PathRequired);
    }

    [Fact]
    public async Task An_attached_tree_that_differs_from_the_computed_one_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var honest = await Peer.UpdateAsync(scene.Alice, scene.Room);
        var groupInfo = MlsGroupScene.GroupInfo(honest.GroupInfo);
        Refused(scene.State, MlsGroupScene.Message(honest.Commit), new MlsCommitAttachments(groupInfo, scene.LastTree), MlsGroupCheck.AttachedTree);
        Assert.True(scene.State.TryApplyCommit(MlsGroupScene.Message(honest.Commit), MlsGroupScene.Attachments(honest), MlsGroupScene.Now, out _, out var refusal), refusal.ToString());
    }

    [Fact]
    public async Task A_GroupInfo_at_the_wrong_epoch_with_the_wrong_tree_hash_or_a_bad_signature_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var honest = await Peer.UpdateAsync(scene.Alice, scene.Room);
        var commit = MlsGroupScene.Message(honest.Commit);
        var info = MlsGroupScene.GroupInfo(honest.GroupInfo);
        var tree = MlsGroupScene.TreeContents(honest.RatchetTree);

        MlsGroupInfo With(MlsGroupContext context, ByteString signature) => MlsGroupInfo.Create(context, info.Extensions, info.ConfirmationTag, info.Signer, signature);
        Refused(scene.State, commit, new(With(info.Context with { Epoch = info.Epoch + 1 }, info.Signature), tree), MlsGroupCheck.GroupInfoEpoch);
        Refused(scene.State, commit, new(With(info.Context with { TreeHash = MlsGroupScene.Changed(info.Context.TreeHash) }, info.Signature), tree), MlsGroupCheck.GroupInfoTreeHash);
        Refused(scene.State, commit, new(With(info.Context with { ConfirmedTranscriptHash = MlsGroupScene.Changed(info.Context.ConfirmedTranscriptHash) }, info.Signature), tree), MlsGroupCheck.GroupInfoContext);
        Refused(scene.State, commit, new(With(info.Context, MlsGroupScene.Changed(info.Signature, 8)), tree), MlsGroupCheck.GroupInfoSignature);

        // Signed by Bob, who is not the committer.
        var bobSigned = MlsGroupInfo.Create(info.Context, info.Extensions, info.ConfirmationTag, 1, ByteString.CopyFrom(new byte[64]));
        var signature = await Peer.SignWithLabelAsync(scene.Bob, "GroupInfoTBS", bobSigned.SignedContent.ToArray());
        Refused(scene.State, commit, new(MlsGroupInfo.Create(info.Context, info.Extensions, info.ConfirmationTag, 1, ByteString.CopyFrom(signature)), tree), MlsGroupCheck.GroupInfoSignature);
    }

    [Fact]
    public async Task A_reference_to_an_unknown_proposal_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var forged = await scene.CommitAsync(scene.Alice, MlsSender.Member(0), new MlsCommit(ValueArray.Create(MlsProposalOrRef.ByReference(ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)))), null));
        Refused(scene.State, forged, MlsCommitAttachments.None, MlsGroupCheck.ProposalReference);
    }

    [Fact]
    public async Task PreSharedKey_and_ReInit_proposals_are_refused_as_unsupported()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);

        // PreSharedKeyID: external (1), psk_id "psk", a 32-byte nonce.
        byte[] psk = [1, 3, .. "psk"u8, 32, .. new byte[32]];
        var refusal = Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.FromBody(MlsProposalType.PreSharedKey, psk)), MlsCommitAttachments.None, MlsGroupCheck.ProposalType);
        Assert.Contains("does not support psk", refusal.Detail, StringComparison.Ordinal);

        // ReInit: group id "g", mls10, suite 1, no extensions.
        byte[] reinit = [1, (byte)'g', 0, 1, 0, 1, 0];
        Refused(scene.State, await scene.AliceCommitsAsync(MlsProposal.FromBody(MlsProposalType.ReInit, reinit)), MlsCommitAttachments.None, MlsGroupCheck.ProposalType);
    }

    [Fact]
    public async Task A_commit_for_another_epoch_or_group_is_refused()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var honest = await Peer.UpdateAsync(scene.Alice, scene.Room);
        var next = scene.Apply(honest);
        Refused(next, MlsGroupScene.Message(honest.Commit), MlsCommitAttachments.None, MlsGroupCheck.Epoch);
    }

    [Fact]
    public async Task A_standalone_proposal_is_checked_and_kept_pending_until_the_next_commit()
    {
        var scene = await MlsGroupScene.StartAsync(Peer);
        var proposal = await Peer.ProposeAsync(scene.Bob, scene.Room, MlsPeerProposalKind.Update);
        Assert.True(scene.State.TryApplyProposal(MlsGroupScene.Message(proposal.Message), 7, MlsGroupScene.Now, out var pending, out var refusal), refusal.ToString());
        Assert.False(pending.TryApplyProposal(MlsGroupScene.Message(proposal.Message), 8, MlsGroupScene.Now, out _, out refusal));
        Assert.Equal(MlsGroupCheck.ProposalReference, refusal.Check);

        // A proposal signed by the wrong member is refused and changes nothing.
        var content = MlsGroupScene.Message(proposal.Message).PublicMessage!.Content;
        var signature = await Peer.SignWithLabelAsync(scene.Alice, "FramedContentTBS", MlsPublicMessage.SignatureContent(content, scene.State.Context));
        var forged = MlsPublicMessage.Create(content, ByteString.CopyFrom(signature), null, ByteString.CopyFrom(new byte[32])).ToMessage();
        var before = pending.Encode();
        Assert.False(pending.TryApplyProposal(forged, 9, MlsGroupScene.Now, out _, out refusal));
        Assert.Equal(MlsGroupCheck.Signature, refusal.Check);
        Assert.Equal(before, pending.Encode());

        // Alice's commit that does not cover it drops it with the epoch.
        var update = await Peer.UpdateAsync(scene.Alice, scene.Room);
        Assert.True(pending.TryApplyCommit(MlsGroupScene.Message(update.Commit), MlsGroupScene.Attachments(update), MlsGroupScene.Now, out var next, out refusal), refusal.ToString());
        Assert.Empty(next.PendingProposals);

        // Stored and read back, with a proposal pending.
        Assert.True(MlsPublicGroupState.TryDecode(pending.Encode(), out var stored, out var error), error.Message);
        Assert.Equal(pending.Encode(), stored.Encode());
        Assert.Equal(pending.Context, stored.Context);
        Assert.Equal(pending.PendingProposals, stored.PendingProposals);
        Assert.Equal(pending.Tree.TreeHash(pending.Context.CipherSuite), stored.Tree.TreeHash(stored.Context.CipherSuite));
    }

    [Fact]
    public async Task A_creation_GroupInfo_whose_tree_or_signature_does_not_match_is_refused()
    {
        var alice = MlsPeerFixture.Unique("alice");
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        var created = await Peer.CreateGroupAsync(alice, $"mimi://alpha.test/r/{Guid.NewGuid():N}");
        var info = MlsGroupScene.GroupInfo(created.GroupInfo);
        var tree = MlsGroupScene.TreeContents(created.RatchetTree);

        Assert.False(MlsPublicGroupState.TryCreate(MlsGroupInfo.Create(info.Context with { TreeHash = MlsGroupScene.Changed(info.Context.TreeHash) }, info.Extensions, info.ConfirmationTag, 0, info.Signature), tree, MlsGroupScene.Now, out _, out var refusal));
        Assert.Equal(MlsGroupCheck.GroupInfoTreeHash, refusal.Check);
        Assert.False(MlsPublicGroupState.TryCreate(MlsGroupInfo.Create(info.Context, info.Extensions, info.ConfirmationTag, 0, MlsGroupScene.Changed(info.Signature, 8)), tree, MlsGroupScene.Now, out _, out refusal));
        Assert.Equal(MlsGroupCheck.GroupInfoSignature, refusal.Check);
        Assert.False(MlsPublicGroupState.TryCreate(info, tree[..^1], MlsGroupScene.Now, out _, out refusal));
        Assert.Equal(MlsGroupCheck.Decoding, refusal.Check);
        Assert.True(MlsPublicGroupState.TryCreate(info, tree, MlsGroupScene.Now, out var state, out refusal), refusal.ToString());
        Assert.Equal(0UL, state.Context.Epoch);
        Assert.Equal("mimi://alpha.test/d/alice", Assert.Single(state.Members).Node.Credential.BasicIdentity);
    }

    private static MlsGroupRefusal Refused(MlsPublicGroupState state, MlsMessage commit, MlsCommitAttachments attachments, MlsGroupCheck check)
    {
        var before = state.Encode();
        var treeHash = state.Tree.TreeHash(state.Context.CipherSuite);
        Assert.False(state.TryApplyCommit(commit, attachments, MlsGroupScene.Now, out var next, out var refusal));
        Assert.Null(next);
        Assert.True(check == refusal.Check, $"Expected {check}, got {refusal}");
        Assert.False(string.IsNullOrWhiteSpace(refusal.Detail));
        Assert.Equal(before, state.Encode());
        Assert.Equal(treeHash, state.Tree.TreeHash(state.Context.CipherSuite));
        return refusal;
    }

    private async Task AgreesAsync(MlsGroupScene scene, string member)
    {
        var state = scene.State;
        var seen = await Peer.GroupStateAsync(member, scene.Room);
        Assert.Equal(seen.Epoch, state.Context.Epoch);
        Assert.Equal(seen.TreeHash, state.Context.TreeHash.ToArray());
        Assert.Equal(seen.TreeHash, state.Tree.TreeHash(state.Context.CipherSuite).ToArray());
        Assert.Equal(seen.ConfirmedTranscriptHash, state.Context.ConfirmedTranscriptHash.ToArray());
        Assert.Equal(seen.InterimTranscriptHash, state.InterimTranscriptHash.ToArray());
        Assert.Equal(seen.Members, state.Members.Select(m => m.Node.Credential.BasicIdentity!).ToArray());
        Assert.Equal(seen.LeafIndices, state.Members.Select(m => m.LeafIndex).ToArray());
    }
}
