using System.Text;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>The ts-mls peer (tests/peers/mls) behaves as real MLS clients: the end-to-end delivery tests rely on it.</summary>
public class MlsPeerTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private MlsPeer Peer => fixture.Peer;

    [Fact]
    public void Peer_runs_the_pinned_ts_mls() => Assert.Equal("1.6.4", Peer.Version);

    [Fact]
    public async Task Alice_adds_Bob_by_KeyPackage_and_they_exchange_messages()
    {
        var (alice, bob) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"));
        const string room = "mimi://alpha.test/r/clubhouse";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice-laptop");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob-phone");
        var bobKeyPackage = await Peer.KeyPackageAsync(bob);

        Assert.Equal(0UL, (await Peer.CreateGroupAsync(alice, room)).Epoch);
        var added = await Peer.AddMemberAsync(alice, room, bobKeyPackage.KeyPackage);
        Assert.Equal(1UL, added.Epoch);
        Assert.Equal(1UL, await Peer.EpochAsync(alice, room));

        var (groupId, epoch) = await Peer.JoinAsync(bob, added.Welcome, added.RatchetTree);
        Assert.Equal((room, 1UL), (groupId, epoch));
        Assert.Equal(["mimi://alpha.test/d/alice-laptop", "mimi://beta.test/d/bob-phone"], await Peer.MembersAsync(bob, room));

        var hello = await Peer.EncryptAsync(alice, room, "Hello Bob"u8.ToArray());
        var received = await Peer.ProcessAsync(bob, hello);
        Assert.Equal("application", received.Kind);
        Assert.Equal("Hello Bob", Encoding.UTF8.GetString(received.Plaintext!));

        var reply = await Peer.EncryptAsync(bob, room, "Hi Alice"u8.ToArray());
        var answer = await Peer.ProcessAsync(alice, reply);
        Assert.Equal("application", answer.Kind);
        Assert.Equal("Hi Alice", Encoding.UTF8.GetString(answer.Plaintext!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Existing_member_processes_the_commit_that_adds_a_third(bool privateCommit)
    {
        var (alice, bob, carol) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"));
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob");
        await Peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol");
        await Peer.CreateGroupAsync(alice, room);
        var first = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(bob)).KeyPackage, privateCommit);
        await Peer.JoinAsync(bob, first.Welcome, first.RatchetTree);

        // The tree travels in the Welcome this time: Carol joins without a separate ratchet tree.
        var second = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(carol)).KeyPackage, privateCommit, ratchetTreeInWelcome: true);
        var processed = await Peer.ProcessAsync(bob, second.Commit);
        Assert.Equal(("commit", 2UL), (processed.Kind, processed.Epoch));
        Assert.Equal((room, 2UL), await Peer.JoinAsync(carol, second.Welcome));

        var message = await Peer.EncryptAsync(carol, room, "all three"u8.ToArray());
        Assert.Equal("all three", Encoding.UTF8.GetString((await Peer.ProcessAsync(bob, message)).Plaintext!));
        Assert.Equal("all three", Encoding.UTF8.GetString((await Peer.ProcessAsync(alice, message)).Plaintext!));
        Assert.Equal(3, (await Peer.MembersAsync(alice, room)).Length);
    }

    [Fact]
    public async Task A_last_resort_KeyPackage_can_be_joined_with_more_than_once()
    {
        var (alice, bob) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"));
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob");
        var lastResort = await Peer.KeyPackageAsync(bob, lastResort: true);
        foreach (var room in new[] { "mimi://alpha.test/r/one", "mimi://alpha.test/r/two" })
        {
            await Peer.CreateGroupAsync(alice, room);
            var added = await Peer.AddMemberAsync(alice, room, lastResort.KeyPackage);
            Assert.Equal((room, 1UL), await Peer.JoinAsync(bob, added.Welcome, added.RatchetTree));
        }
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task Created_group_comes_with_its_epoch_0_GroupInfo_and_tree_that_groupState_agrees_with(MlsCipherSuite suite)
    {
        var alice = MlsPeerFixture.Unique("alice");
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice", suite);

        var created = await Peer.CreateGroupAsync(alice, room);
        Assert.Equal((room, 0UL), (created.GroupId, created.Epoch));
        var state = await Peer.GroupStateAsync(alice, room);
        Assert.Equal((0UL, 0U), (state.Epoch, state.LeafIndex));
        Assert.Equal(["mimi://alpha.test/d/alice"], state.Members);
        AssertPublishedMatches(created.GroupInfo, created.RatchetTree, room, state);
    }

    [Fact]
    public async Task Members_agree_on_group_state_through_adds_updates_removes_and_external_joins()
    {
        var (alice, bob, carol, dave) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"), MlsPeerFixture.Unique("dave"));
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob");
        await Peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol");
        await Peer.CreateClientAsync(dave, "mimi://delta.test/d/dave");
        await Peer.CreateGroupAsync(alice, room);
        var added = await Peer.AddMemberAsync(alice, room, [(await Peer.KeyPackageAsync(bob)).KeyPackage, (await Peer.KeyPackageAsync(carol)).KeyPackage]);
        await Peer.JoinAsync(bob, added.Welcome, added.RatchetTree);
        await Peer.JoinAsync(carol, added.Welcome, added.RatchetTree);
        await AssertAgreeAsync(room, added, 1, [alice, bob, carol]);

        // A self-update carries a path: the committer's leaf changes, and so the tree hash.
        var before = await Peer.GroupStateAsync(bob, room);
        var updated = await Peer.UpdateAsync(bob, room);
        Assert.Empty(updated.Welcome);
        Assert.True(MlsMessage.TryDecode(updated.Commit, out var updateCommit, out _));
        Assert.NotNull(updateCommit!.CommitPathLeaf);
        Assert.Equal((MlsSenderType.Member, before.LeafIndex), (updateCommit.SenderType, updateCommit.SenderIndex));
        await Peer.ProcessAsync(alice, updated.Commit);
        await Peer.ProcessAsync(carol, updated.Commit);
        var afterUpdate = await AssertAgreeAsync(room, updated, 2, [alice, bob, carol]);
        Assert.NotEqual(before.TreeHash, afterUpdate.TreeHash);
        Assert.Equal(before.Members, afterUpdate.Members);

        var removed = await Peer.RemoveMemberAsync(alice, room, "mimi://gamma.test/d/carol");
        await Peer.ProcessAsync(bob, removed.Commit);
        var afterRemove = await AssertAgreeAsync(room, removed, 3, [alice, bob]);
        Assert.Equal(["mimi://alpha.test/d/alice", "mimi://beta.test/d/bob"], afterRemove.Members);

        var joined = await Peer.JoinExternalAsync(dave, removed.GroupInfo, removed.RatchetTree);
        await Peer.ProcessAsync(alice, joined.Commit);
        await Peer.ProcessAsync(bob, joined.Commit);
        var afterJoin = await AssertAgreeAsync(room, joined, 4, [alice, bob, dave]);
        Assert.Equal([0U, 1U, 2U], afterJoin.LeafIndices); // the external joiner takes carol's blank leaf
        Assert.Equal("mimi://delta.test/d/dave", afterJoin.Members[2]);
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task Standalone_proposals_are_committed_by_reference(MlsCipherSuite suite)
    {
        var (alice, bob, carol) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"));
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice", suite);
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob", suite);
        await Peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol", suite);
        await Peer.CreateGroupAsync(alice, room);
        var first = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(bob)).KeyPackage);
        await Peer.JoinAsync(bob, first.Welcome, first.RatchetTree);

        // Bob proposes to add Carol and to update his own leaf; Alice receives both and commits them.
        var addCarol = await Peer.ProposeAsync(bob, room, MlsPeerProposalKind.Add, keyPackage: (await Peer.KeyPackageAsync(carol)).KeyPackage);
        var updateBob = await Peer.ProposeAsync(bob, room, MlsPeerProposalKind.Update);
        foreach (var proposal in new[] { addCarol, updateBob })
        {
            Assert.True(MlsMessage.TryDecode(proposal.Message, out var message, out _));
            Assert.Equal((MlsWireFormat.PublicMessage, MlsContentType.Proposal, 1UL), (message!.WireFormat, message.ContentType, message.Epoch));
            Assert.True(message.TryComputeProposalRef(suite, out var reference));
            Assert.Equal(reference.ToArray(), proposal.ProposalRef);
            var processed = await Peer.ProcessAsync(alice, proposal.Message);
            Assert.Equal(("proposal", 1UL), (processed.Kind, processed.Epoch));
        }

        var committed = await Peer.CommitPendingAsync(alice, room);
        Assert.NotEmpty(committed.Welcome);
        Assert.Equal(2UL, committed.Epoch);
        var commitBody = PublicCommitBody(committed.Commit);
        Assert.True(commitBody.AsSpan().IndexOf(addCarol.ProposalRef) >= 0);
        Assert.True(commitBody.AsSpan().IndexOf(updateBob.ProposalRef) >= 0);

        // Bob applies a commit of his own Update with the fresh leaf key he kept.
        Assert.Equal(("commit", 2UL), ((await Peer.ProcessAsync(bob, committed.Commit)).Kind, (await Peer.EpochAsync(bob, room))));
        await Peer.JoinAsync(carol, committed.Welcome, committed.RatchetTree);
        await AssertAgreeAsync(room, committed, 2, [alice, bob, carol]);

        // A remove proposal from a member, committed by another.
        var removeAlice = await Peer.ProposeAsync(carol, room, MlsPeerProposalKind.Remove, identity: "mimi://alpha.test/d/alice");
        await Peer.ProcessAsync(bob, removeAlice.Message);
        await Peer.ProcessAsync(alice, removeAlice.Message);
        var removal = await Peer.CommitPendingAsync(bob, room);
        Assert.Empty(removal.Welcome);
        await Peer.ProcessAsync(carol, removal.Commit);
        var after = await AssertAgreeAsync(room, removal, 3, [bob, carol]);
        Assert.Equal(["mimi://beta.test/d/bob", "mimi://gamma.test/d/carol"], after.Members);

        var hello = await Peer.EncryptAsync(carol, room, "after"u8.ToArray());
        Assert.Equal("after", Encoding.UTF8.GetString((await Peer.ProcessAsync(bob, hello)).Plaintext!));
    }

    [Fact]
    public async Task Encrypt_puts_the_given_authenticated_data_in_the_PrivateMessage()
    {
        var alice = MlsPeerFixture.Unique("alice");
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateGroupAsync(alice, room);
        byte[] aad = [0x01, 0x02, 0x03, 0xfe];

        var message = await Peer.EncryptAsync(alice, room, "x"u8.ToArray(), aad);
        // PrivateMessage: version, wire_format, group_id<V>, epoch, content_type, authenticated_data<V>, ...
        var r = new TlsReader(message);
        Assert.True(r.TryReadUInt16("version", out _) && r.TryReadUInt16("wire_format", out var wire) && wire == (ushort)MlsWireFormat.PrivateMessage);
        Assert.True(r.TrySkipOpaque("group_id", TlsLengthPrefix.Varint) && r.TryReadUInt64("epoch", out _) && r.TryReadUInt8("content_type", out _));
        Assert.True(r.TryReadOpaque("authenticated_data", TlsLengthPrefix.Varint, out ReadOnlySpan<byte> carried));
        Assert.Equal(aad, carried.ToArray());
    }

    [Fact]
    public async Task Commit_pending_without_proposals_is_refused()
    {
        var alice = MlsPeerFixture.Unique("alice");
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateGroupAsync(alice, room);
        var error = await Assert.ThrowsAsync<MlsPeerException>(() => Peer.CommitPendingAsync(alice, room));
        Assert.Contains("no pending proposals", error.Message, StringComparison.Ordinal);
    }

    // Every named member reports the epoch and the same state, which is the one the commit's GroupInfo signs and whose
    // tree is the attached one.
    private async Task<MlsPeerGroupState> AssertAgreeAsync(string room, MlsPeerCommit commit, ulong epoch, string[] members)
    {
        Assert.Equal(epoch, commit.Epoch);
        var states = new List<MlsPeerGroupState>();
        foreach (var member in members)
        {
            states.Add(await Peer.GroupStateAsync(member, room));
        }

        var first = states[0];
        Assert.Equal(members.Length, first.Members.Count);
        foreach (var state in states)
        {
            Assert.Equal(epoch, state.Epoch);
            Assert.Equal(first.TreeHash, state.TreeHash);
            Assert.Equal(first.ConfirmedTranscriptHash, state.ConfirmedTranscriptHash);
            Assert.Equal(first.InterimTranscriptHash, state.InterimTranscriptHash);
            Assert.Equal(first.Members, state.Members);
            Assert.Equal(first.LeafIndices, state.LeafIndices);
        }

        Assert.Equal(members.Length, states.Select(s => s.LeafIndex).Distinct().Count());
        AssertPublishedMatches(commit.GroupInfo, commit.RatchetTree, room, first);
        return first;
    }

    private static void AssertPublishedMatches(byte[] groupInfoMessage, byte[] ratchetTree, string room, MlsPeerGroupState state)
    {
        var groupInfo = MlsSamples.ParseMessage(groupInfoMessage).GroupInfo!;
        var r = new TlsReader(groupInfo.Encoded.Span);
        Assert.True(MlsGroupContext.TryRead(ref r, out var context));
        Assert.Equal(Encoding.UTF8.GetBytes(room), context!.GroupId.ToArray());
        Assert.Equal(state.Epoch, context.Epoch);
        Assert.Equal(state.TreeHash, context.TreeHash.ToArray());
        Assert.Equal(state.ConfirmedTranscriptHash, context.ConfirmedTranscriptHash.ToArray());
        Assert.Equal(32, state.InterimTranscriptHash.Length);
        Assert.NotEqual(state.ConfirmedTranscriptHash, state.InterimTranscriptHash);

        Assert.True(MlsRatchetTree.TryReadExtensionData(ratchetTree, out var contents, out var error), error.ToString());
        Assert.True(MlsRatchetTree.TryDecodeContents(contents, out var tree, out error), error.ToString());
        Assert.Equal(state.LeafIndices, tree!.Leaves.Select(l => l.LeafIndex));
        Assert.Equal(state.Members, tree.Leaves.Select(l => Encoding.UTF8.GetString(l.Node.Credential.Identity.Span)));
    }

    private static byte[] PublicCommitBody(byte[] commit)
    {
        var message = MlsSamples.ParseMessage(commit);
        Assert.Equal((MlsWireFormat.PublicMessage, MlsContentType.Commit), (message.WireFormat, message.ContentType));
        return message.Encoded.ToArray();
    }

    [Fact]
    public async Task A_refused_request_fails_loudly_with_the_peers_reason()
    {
        var error = await Assert.ThrowsAsync<MlsPeerException>(() => Peer.EpochAsync(MlsPeerFixture.Unique("nobody"), "mimi://alpha.test/r/none"));
        Assert.Contains("no client named", error.Message, StringComparison.Ordinal);

        // The peer keeps serving after an error.
        await Peer.CreateClientAsync(MlsPeerFixture.Unique("after"), "mimi://alpha.test/d/after");
    }
}
