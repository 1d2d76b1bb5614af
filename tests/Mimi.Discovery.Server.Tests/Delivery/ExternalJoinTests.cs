using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// The MIMI groupInfo endpoint and external joins with real MLS clients (ts-mls): Bob's new device fetches the room's
/// GroupInfo from alpha's hub through beta (HPKE-encrypted to the device, signed by the hub), joins by external commit,
/// and the hub then fans out to it; the hub's roster follows the ratchet tree, so a removed member gets nothing more.
/// </summary>
public sealed class ExternalJoinTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private const string Room = "mimi://alpha.test/r/book-club";

    [Fact]
    public async Task A_new_device_joins_by_external_commit_and_a_removed_member_gets_nothing_more()
    {
        var alice = await fixture.MemberAsync(fixture.Alpha, "alice");
        var bob = await fixture.MemberAsync(fixture.Beta, "bob");
        var carol = await fixture.MemberAsync(fixture.Beta, "carol");
        var created = await fixture.Mls.CreateGroupAsync("alice", Room);
        await alice.Client.CreateRoomAsync("book-club", created.GroupInfo, created.RatchetTree);
        await bob.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("bob")).KeyPackage]);
        await carol.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("carol")).KeyPackage]);
        var claimed = new List<byte[]>();
        foreach (var target in new[] { bob, carol })
        {
            var claim = Decode(await alice.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(alice, target.UserUri, Room)));
            claimed.Add(AsMessage(Assert.Single(claim.Clients).KeyPackage!));
        }

        var added = await fixture.Mls.AddMemberAsync("alice", Room, claimed);
        Assert.Equal(UpdateResponseCode.Success, DecodeUpdate(await alice.Client.UpdateRoomAsync(Room, CommitUpdate(added))).ResponseCode);
        foreach (var (member, name) in new[] { (bob, "bob"), (carol, "carol") })
        {
            var welcome = Assert.Single(await InboxAsync(member.Client, 1));
            await fixture.Mls.JoinAsync(name, welcome.MessageBytes, welcome.RatchetTreeBytes);
        }

        var bobAfter = (await bob.Client.ReadInboxAsync()).Last;
        var carolAfter = (await carol.Client.ReadInboxAsync()).Last;

        // Bob's laptop: a new client of the same user, not in the MLS group yet.
        var (laptop, _) = await fixture.Beta.AddUserAsync("bob", "bob-laptop");
        const string laptopUri = "mimi://beta.test/d/bob-laptop";
        var laptopKey = await fixture.Mls.CreateClientAsync("bob-laptop", laptopUri);
        var hpkeKey = await fixture.Mls.HpkeKeyPairAsync("bob-laptop");
        var request = await DeliveryMessages.GroupInfoRequestAsync(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, laptopKey, laptopUri, hpkeKey,
            (label, content, _) => fixture.Mls.SignWithLabelAsync("bob-laptop", label, content));

        var (response, groupInfo, ratchetTree) = await DeliveryMessages.OpenGroupInfo(await laptop.RequestGroupInfoAsync(Room, request),
            (label, context, kem, ciphertext) => fixture.Mls.OpenWithLabelAsync("bob-laptop", label, context, kem, ciphertext));
        Assert.Equal((Room, GroupInfoCode.Success), (response.RoomId, response.Status));
        Assert.Equal("mimi://alpha.test", Encoding.UTF8.GetString(response.HubSender!.Credential.Identity.Span));
        Assert.True(MlsMessage.TryDecode(groupInfo, out var info, out _));
        Assert.Equal(1UL, info.Epoch);

        var joined = await fixture.Mls.JoinExternalAsync("bob-laptop", groupInfo, ratchetTree);
        Assert.Equal(2UL, joined.Epoch);
        var externalCommit = CommitUpdate(joined with { Welcome = [] });
        Assert.Equal(UpdateResponseCode.Success, DecodeUpdate(await laptop.UpdateRoomAsync(Room, externalCommit)).ResponseCode);

        // Every member processes the external commit; Alice's next message reaches the laptop.
        var atAlice = Assert.Single(await InboxAsync(alice.Client, 1));
        Assert.Equal(("commit", 2UL), ((await fixture.Mls.ProcessAsync("alice", atAlice.MessageBytes)).Kind, (await fixture.Mls.EpochAsync("alice", Room))));
        var atBob = Assert.Single(await InboxAsync(bob.Client, 1, bobAfter));
        Assert.Equal(2UL, (await fixture.Mls.ProcessAsync("bob", atBob.MessageBytes)).Epoch);
        bobAfter = atBob.Seq;
        var atCarol = Assert.Single(await InboxAsync(carol.Client, 1, carolAfter));
        Assert.Equal(2UL, (await fixture.Mls.ProcessAsync("carol", atCarol.MessageBytes)).Epoch);
        carolAfter = atCarol.Seq;

        var hello = await fixture.Mls.EncryptAsync("alice", Room, Encoding.UTF8.GetBytes("welcome, laptop"));
        await alice.Client.SubmitMessageAsync(Room, hello);
        var atLaptop = Assert.Single(await InboxAsync(laptop, 1));
        Assert.Equal("welcome, laptop", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("bob-laptop", atLaptop.MessageBytes)).Plaintext!));
        foreach (var (client, after, name) in new[] { (bob.Client, bobAfter, "bob"), (carol.Client, carolAfter, "carol") })
        {
            var item = Assert.Single(await InboxAsync(client, 1, after));
            Assert.Equal("welcome, laptop", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync(name, item.MessageBytes)).Plaintext!));
        }

        // The grant was for one external commit: the same commit again is refused (wrong epoch or no grant), never applied twice.
        var replay = DecodeUpdateOrStatus(() => laptop.UpdateRoomAsync(Room, externalCommit));
        Assert.NotEqual(UpdateResponseCode.Success, (await replay).Code);

        // Alice removes Carol: the hub's roster follows the tree, so Alice's next message does not reach Carol.
        var removed = await fixture.Mls.RemoveMemberAsync("alice", Room, carol.ClientUri);
        Assert.Equal(UpdateResponseCode.Success, DecodeUpdate(await alice.Client.UpdateRoomAsync(Room, CommitUpdate(removed))).ResponseCode);
        var members = await fixture.Alpha.Service!.Services.GetRequiredService<Mimi.Discovery.Storage.RoomStore>().ListMembersAsync(Room, CancellationToken.None);
        Assert.Equal(new[] { alice.ClientUri, bob.ClientUri, laptopUri }.Order(StringComparer.Ordinal), members.Select(m => m.ClientUri).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GroupInfo_is_refused_to_users_outside_the_room_and_to_requests_with_a_bad_signature()
    {
        var dana = await fixture.MemberAsync(fixture.Alpha, "dana");
        var erin = await fixture.MemberAsync(fixture.Beta, "erin");
        const string room = "mimi://alpha.test/r/closed";
        var created = await fixture.Mls.CreateGroupAsync("dana", room);
        await dana.Client.CreateRoomAsync("closed", created.GroupInfo, created.RatchetTree);
        await erin.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("erin")).KeyPackage]);
        var claim = Decode(await dana.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(dana, erin.UserUri, room)));
        var added = await fixture.Mls.AddMemberAsync("dana", room, AsMessage(Assert.Single(claim.Clients).KeyPackage!));
        await dana.Client.UpdateRoomAsync(room, CommitUpdate(added));
        Assert.Equal("welcome", Assert.Single(await InboxAsync(erin.Client, 1)).Kind); // beta knows Erin is in the room

        // A user of beta who takes no part in the room: beta refuses before asking the hub.
        var frank = await fixture.MemberAsync(fixture.Beta, "frank");
        var frankKey = await fixture.Mls.CreateClientAsync("frank-2", frank.ClientUri);
        var hpke = await fixture.Mls.HpkeKeyPairAsync("frank-2");
        var outsider = await DeliveryMessages.GroupInfoRequestAsync(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, frankKey, frank.ClientUri, hpke,
            (label, content, _) => fixture.Mls.SignWithLabelAsync("frank-2", label, content));
        Assert.Equal(404, (await Assert.ThrowsAsync<MimiApiException>(() => frank.Client.RequestGroupInfoAsync(room, outsider))).Status);

        // Erin's second device signs with a key other than the one it names: the hub refuses (400, field signature).
        var (tablet, _) = await fixture.Beta.AddUserAsync("erin", "erin-tablet");
        const string tabletUri = "mimi://beta.test/d/erin-tablet";
        await fixture.Mls.CreateClientAsync("erin-tablet", tabletUri);
        var otherKey = await fixture.Mls.CreateClientAsync("erin-tablet-other", tabletUri);
        var tabletHpke = await fixture.Mls.HpkeKeyPairAsync("erin-tablet");
        var forged = await DeliveryMessages.GroupInfoRequestAsync(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, otherKey, tabletUri, tabletHpke,
            (label, content, _) => fixture.Mls.SignWithLabelAsync("erin-tablet", label, content));
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => tablet.RequestGroupInfoAsync(room, forged));
        Assert.Equal(502, refused.Status);
        Assert.Equal(400, refused.Problem!.Extensions!["peerStatus"].GetInt32());

        // A credential that names another client than the caller is refused by the caller's own provider.
        var misnamed = await DeliveryMessages.GroupInfoRequestAsync(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, otherKey, erin.ClientUri, tabletHpke,
            (label, content, _) => fixture.Mls.SignWithLabelAsync("erin-tablet-other", label, content));
        Assert.Equal(403, (await Assert.ThrowsAsync<MimiApiException>(() => tablet.RequestGroupInfoAsync(room, misnamed))).Status);

        // Without a grant, an external commit is refused by the hub.
        var tabletKey = await fixture.Mls.CreateClientAsync("erin-tablet-3", "mimi://beta.test/d/erin-tablet");
        Assert.NotEmpty(tabletKey);
        var info = await fixture.Alpha.Service!.Services.GetRequiredService<Mimi.Discovery.Storage.RoomStore>().FindRoomAsync(room, CancellationToken.None);
        var groupInfo = MlsMessage.Frame(MlsWireFormat.GroupInfo, info!.GroupInfo);
        var tree = MlsRatchetTree.ExtensionData(info.RatchetTree);
        var unauthorised = await fixture.Mls.JoinExternalAsync("erin-tablet-3", groupInfo, tree);
        var answer = await DecodeUpdateOrStatus(() => tablet.UpdateRoomAsync(room, CommitUpdate(unauthorised with { Welcome = [] })));
        Assert.NotEqual(UpdateResponseCode.Success, answer.Code);
        Assert.Equal(502, answer.Status);
    }

    /// <summary>The hub's UpdateRoomResponse code, or the HTTP status when the request was refused with a problem.</summary>
    private static async Task<(UpdateResponseCode? Code, int Status)> DecodeUpdateOrStatus(Func<Task<byte[]>> send)
    {
        try
        {
            return (DecodeUpdate(await send()).ResponseCode, 200);
        }
        catch (MimiApiException e)
        {
            return (null, e.Status);
        }
    }
}
