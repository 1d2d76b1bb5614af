using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// The hub's public group state against ts-mls: alpha.test hosts the room, beta.test follows it, and after every commit
/// the hub's epoch, tree hash (computed from its own tree), confirmed transcript hash and members equal what each ts-mls
/// member reports, and so do beta's members.
/// </summary>
public sealed class HubStateTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task The_hubs_state_equals_every_ts_mls_members_through_adds_updates_proposals_removes_and_an_external_join()
    {
        var alice = await fixture.MemberAsync(fixture.Alpha, "alice");
        var bob = await fixture.MemberAsync(fixture.Beta, "bob");
        var carol = await fixture.MemberAsync(fixture.Beta, "carol");
        var dave = await fixture.MemberAsync(fixture.Alpha, "dave");
        var erin = await fixture.MemberAsync(fixture.Beta, "erin");
        var room = await MlsRoom.CreateAsync(fixture, alice, "agreement");
        await room.AssertAgreesAsync();
        using var hub = new InstrumentRecorder(fixture.Alpha.Service!.Services);
        using var follower = new InstrumentRecorder(fixture.Beta.Service!.Services);

        // Adds across providers in one commit; beta starts following the room when the Welcome reaches its clients.
        await room.CommitAsync(alice, await fixture.Mls.AddMemberAsync("alice", room.Id, await room.ClaimAsync(alice, bob, carol)), bob, carol);
        await room.AssertAgreesAsync();

        // Updates with a path, committed at the follower and at the hub.
        await room.CommitAsync(bob, await fixture.Mls.UpdateAsync("bob", room.Id));
        await room.AssertAgreesAsync();
        await room.CommitAsync(alice, await fixture.Mls.UpdateAsync("alice", room.Id));
        await room.AssertAgreesAsync();

        // A standalone proposal is kept with the hub's acceptance time (at the hub and at beta), then committed by
        // reference by a member of the other provider.
        var add = await fixture.Mls.ProposeAsync("alice", room.Id, MlsPeerProposalKind.Add, (await room.ClaimAsync(alice, dave))[0]);
        // First the same proposal with one bit of its signature changed: the hub refuses it by the signature check.
        Assert.True(MlsMessage.TryDecode(add.Message, out var honest, out _));
        var forged = MlsPublicMessage.Create(honest.PublicMessage!.Content,
            Mimi.Discovery.Protocol.Tls.ByteString.CopyFrom(Forgeries.Flip(honest.PublicMessage.Signature.Span, 0)), honest.PublicMessage.ConfirmationTag,
            honest.PublicMessage.MembershipTag).ToMessage();
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => alice.Client.UpdateRoomAsync(room.Id, new UpdateRequest(HandshakeBundle.ForProposals(forged, default)).Encode()));
        Assert.Equal((400, "signature"), (refused.Status, refused.Problem!.Extensions!["check"].GetString()));
        var acceptedAt = await room.ProposeAsync(alice, add);
        var pending = Assert.Single((await room.HubStateAsync()).PendingProposals);
        Assert.Equal((Convert.ToHexString(add.ProposalRef), acceptedAt), (Convert.ToHexString(pending.Reference.Span), pending.AcceptedTime));
        var atBeta = Assert.Single((await room.FollowerStateAsync(fixture.Beta, pending.Message.Epoch!.Value)).PendingProposals);
        Assert.Equal((pending.Reference, acceptedAt), (atBeta.Reference, atBeta.AcceptedTime));
        await room.CommitAsync(bob, await fixture.Mls.CommitPendingAsync("bob", room.Id), dave);
        Assert.Empty((await room.HubStateAsync()).PendingProposals);
        await room.AssertAgreesAsync();

        // A remove: the hub's roster and beta's follow their own trees.
        await room.RemoveAsync(alice, carol);
        await room.AssertAgreesAsync();
        var hubMembers = await fixture.Alpha.Service!.Services.GetRequiredService<RoomStore>().ListMembersAsync(room.Id, default);
        Assert.Equal(new[] { alice, bob, dave }.Select(m => m.ClientUri).Order(StringComparer.Ordinal), hubMembers.Select(m => m.ClientUri));
        var betaMembers = await fixture.Beta.Service!.Services.GetRequiredService<RoomStore>().ListMembersAsync(room.Id, default);
        Assert.Equal([bob.ClientUri], betaMembers.Select(m => m.ClientUri));

        // While an Add proposal of Dave's is pending, Bob's laptop joins by external commit: the hub answers the pending
        // proposal in groupInfo with its acceptance time, and the external commit, which cannot cover it, drops it.
        var erinAdd = await fixture.Mls.ProposeAsync("dave", room.Id, MlsPeerProposalKind.Add, (await room.ClaimAsync(dave, erin))[0]);
        var erinAcceptedAt = await room.ProposeAsync(dave, erinAdd);
        var laptop = await DeviceAsync(bob, "bob-laptop");
        var hpke = await fixture.Mls.HpkeKeyPairAsync(laptop.Name);
        var request = await DeliveryMessages.GroupInfoRequestAsync(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, laptop.SignatureKey, laptop.ClientUri, hpke,
            laptop.Signer);
        byte[]? opened = null;
        var (_, groupInfo, tree) = await DeliveryMessages.OpenGroupInfo(await laptop.Client.RequestGroupInfoAsync(room.Id, request),
            async (label, context, kem, ciphertext) => opened = await fixture.Mls.OpenWithLabelAsync(laptop.Name, label, context, kem, ciphertext));
        Assert.True(GroupInfoRatchetTreeTbe.TryDecode(opened, out var answered, out _));
        var answeredPending = Assert.Single(answered.PendingProposals);
        Assert.Equal((Convert.ToHexString(erinAdd.Message), erinAcceptedAt), (Convert.ToHexString(answeredPending.Proposal.Encoded.Span), answeredPending.HubAcceptedTime));
        var joined = await fixture.Mls.JoinExternalAsync(laptop.Name, groupInfo, tree);
        Assert.Equal(UpdateResponseCode.Success, (await room.SendAsync(laptop, CommitUpdate(joined with { Welcome = [] }))).ResponseCode);
        await room.CatchUpAsync(laptop);
        await room.JoinedAsync(laptop);
        Assert.Empty((await room.HubStateAsync()).PendingProposals);
        await room.AssertAgreesAsync();

        // Everyone now in the room gets Alice's next message; Carol does not.
        await alice.Client.SubmitMessageAsync(room.Id, await fixture.Mls.EncryptAsync("alice", room.Id, Encoding.UTF8.GetBytes("all here")));
        foreach (var member in room.Members.Where(m => m != alice))
        {
            var item = Assert.Single(await InboxAsync(member.Client, 1, room.Cursor(member)));
            Assert.Equal("all here", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync(member.Name, item.MessageBytes)).Plaintext!));
        }

        Assert.Empty((await carol.Client.ReadInboxAsync(room.Cursor(carol), TimeSpan.FromSeconds(1))).Items);

        // The instruments: the forged proposal is the one refusal, at the hub; beta, following, refused nothing.
        Assert.Equal(1, hub.Sum("mimi.delivery.proposals.refused", ("mimi.mls.check", "signature")));
        Assert.Equal(1, hub.Sum("mimi.delivery.proposals.refused"));
        Assert.Equal(0, hub.Sum("mimi.delivery.commits.refused"));
        Assert.Equal(0, follower.Sum("mimi.delivery.follower.refusals"));
        TagValues.AssertBounded(hub.Measurements.Concat(follower.Measurements), ["alpha.test", "beta.test"]);
    }

    [Fact]
    public async Task A_room_is_created_only_from_a_GroupInfo_and_tree_that_verify_and_that_have_the_creator()
    {
        var fay = await fixture.MemberAsync(fixture.Alpha, "fay");
        var gil = await fixture.MemberAsync(fixture.Alpha, "gil");
        var created = await fixture.Mls.CreateGroupAsync("fay", "mimi://alpha.test/r/checked");
        Assert.True(MlsMessage.TryDecode(created.GroupInfo, out var message, out _));
        var groupInfo = message.GroupInfo!;

        // A GroupInfo whose tree hash is not the tree's: 400 mls-commit-refused naming the check.
        var otherTree = await Forgeries.GroupInfoAsync(fixture.Mls, "fay", groupInfo,
            groupInfo.Context with { TreeHash = Mimi.Discovery.Protocol.Tls.ByteString.CopyFrom(Forgeries.Flip(groupInfo.Context.TreeHash.Span, 0)) });
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => fay.Client.CreateRoomAsync("checked", otherTree.ToMessage(), created.RatchetTree));
        Assert.Equal((400, "urn:mimi-discovery:problem:mls-commit-refused"), (refused.Status, refused.Problem!.Type));
        Assert.StartsWith("group-info-tree-hash: ", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Equal("group-info-tree-hash", refused.Problem.Extensions!["check"].GetString());

        // Signed by another key than its signer leaf's.
        var forged = await Forgeries.GroupInfoAsync(fixture.Mls, "gil", groupInfo, groupInfo.Context);
        refused = await Assert.ThrowsAsync<MimiApiException>(() => fay.Client.CreateRoomAsync("checked", forged.ToMessage(), created.RatchetTree));
        Assert.StartsWith("group-info-signature: ", refused.Problem!.Detail, StringComparison.Ordinal);

        // Not a GroupInfo, or a tree that is not extension data: 400 naming the field.
        refused = await Assert.ThrowsAsync<MimiApiException>(() => fay.Client.CreateRoomAsync("checked", created.RatchetTree, created.RatchetTree));
        Assert.Equal((400, "groupInfo"), (refused.Status, refused.Problem!.Extensions!["field"].GetString()));
        refused = await Assert.ThrowsAsync<MimiApiException>(() => fay.Client.CreateRoomAsync("checked", created.GroupInfo, [1, 2, 3]));
        Assert.Equal((400, "ratchetTree"), (refused.Status, refused.Problem!.Extensions!["field"].GetString()));

        // A valid group another client created: the creator must be in the tree.
        refused = await Assert.ThrowsAsync<MimiApiException>(() => gil.Client.CreateRoomAsync("checked", created.GroupInfo, created.RatchetTree));
        Assert.Equal(403, refused.Status);

        var room = await fay.Client.CreateRoomAsync("checked", created.GroupInfo, created.RatchetTree);
        Assert.Equal(("mimi://alpha.test/r/checked", 0UL), (room.Room, room.Epoch));
        var view = await fay.Client.GetRoomGroupInfoAsync(room.Room);
        Assert.Equal((Convert.ToBase64String(groupInfo.Encoded.Span), Convert.ToBase64String(created.RatchetTree)), (view.GroupInfo, view.RatchetTree));
    }

    /// <summary>Another client of <paramref name="owner"/>'s user, with a ts-mls client named <paramref name="name"/>; in no group yet.</summary>
    private async Task<Member> DeviceAsync(Member owner, string name)
    {
        var (client, credentials) = await owner.Provider.AddUserAsync(owner.Name, name);
        var clientUri = $"mimi://{owner.Provider.Domain}/d/{name}";
        var key = await fixture.Mls.CreateClientAsync(name, clientUri);
        return new Member(owner.Provider, name, owner.UserUri, clientUri, client, credentials, key, (label, content, _) => fixture.Mls.SignWithLabelAsync(name, label, content));
    }
}
