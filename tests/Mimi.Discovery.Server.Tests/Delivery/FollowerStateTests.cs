using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// beta.test following a room alpha.test hosts: it keeps the room's state from the notifies, stops a removed client's
/// traffic at its removal, and refuses a notify that does not follow from its state (as a forged hub would send).
/// </summary>
public sealed class FollowerStateTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task A_removed_client_at_a_follower_gets_its_removal_and_nothing_after_and_is_refused_when_it_asks_about_the_room()
    {
        var hal = await fixture.MemberAsync(fixture.Alpha, "hal");
        var ian = await fixture.MemberAsync(fixture.Beta, "ian");
        var joy = await fixture.MemberAsync(fixture.Beta, "joy");
        var room = await MlsRoom.CreateAsync(fixture, hal, "removal");
        await room.CommitAsync(hal, await fixture.Mls.AddMemberAsync("hal", room.Id, await room.ClaimAsync(hal, ian, joy)), ian, joy);
        await room.RemoveAsync(hal, joy);
        await room.AssertAgreesAsync();
        var beta = fixture.Beta.Service!.Services.GetRequiredService<RoomStore>();
        Assert.Equal(2UL, await beta.FindRemovalAsync(room.Id, joy.ClientUri, default));
        Assert.Equal([ian.ClientUri], (await beta.ListMembersAsync(room.Id, default)).Select(m => m.ClientUri));

        // The room goes on: Ian gets the next message, Joy nothing after her removal.
        await hal.Client.SubmitMessageAsync(room.Id, await fixture.Mls.EncryptAsync("hal", room.Id, Encoding.UTF8.GetBytes("after joy")));
        var atIan = Assert.Single(await InboxAsync(ian.Client, 1, room.Cursor(ian)));
        Assert.Equal("after joy", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("ian", atIan.MessageBytes)).Plaintext!));
        Assert.Empty((await joy.Client.ReadInboxAsync(room.Cursor(joy), TimeSpan.FromSeconds(1.5))).Items);

        // Joy asking her provider about the room later is refused, naming the epoch of her removal; so is a commit.
        var read = await Assert.ThrowsAsync<MimiApiException>(() => joy.Client.GetRoomGroupInfoAsync(room.Id));
        Assert.Equal((403, "urn:mimi-discovery:problem:forbidden"), (read.Status, read.Problem!.Type));
        Assert.Contains("removed", read.Problem.Detail, StringComparison.Ordinal);
        Assert.Contains("epoch 2", read.Problem.Detail, StringComparison.Ordinal);
        var update = await fixture.Mls.UpdateAsync("joy", room.Id);
        Assert.Equal(403, (await Assert.ThrowsAsync<MimiApiException>(() => joy.Client.UpdateRoomAsync(room.Id, CommitUpdate(update)))).Status);

        // Ian reads the state his provider verified: the hub's epoch and tree, without a GroupInfo.
        var hub = await room.HubStateAsync();
        var view = await ian.Client.GetRoomGroupInfoAsync(room.Id);
        Assert.Equal((2UL, null, Convert.ToBase64String(MlsRatchetTree.ExtensionData(hub.Tree.EncodeContents()))), (view.Epoch, view.GroupInfo, view.RatchetTree));
    }

    [Fact]
    public async Task A_notify_that_skips_an_epoch_or_carries_a_forged_commit_is_refused_whole_and_the_honest_ones_go_on()
    {
        var kit = await fixture.MemberAsync(fixture.Alpha, "kit");
        var lea = await fixture.MemberAsync(fixture.Beta, "lea");
        var room = await MlsRoom.CreateAsync(fixture, kit, "forged-hub");
        await room.CommitAsync(kit, await fixture.Mls.AddMemberAsync("kit", room.Id, await room.ClaimAsync(kit, lea)), lea);

        // Two honest commits of epochs 1 and 2, not sent yet; alpha's provider key signs whatever it notifies.
        var first = await fixture.Mls.UpdateAsync("kit", room.Id);
        var second = await fixture.Mls.UpdateAsync("kit", room.Id);
        Assert.True(MlsMessage.TryDecode(first.Commit, out var firstMessage, out _));
        Assert.True(MlsMessage.TryDecode(second.Commit, out var secondMessage, out _));
        var peers = fixture.Alpha.Service!.Services.GetRequiredService<PeerClient>();
        var application = await fixture.Mls.EncryptAsync("kit", room.Id, Encoding.UTF8.GetBytes("not delivered"));
        Assert.True(MlsMessage.TryDecode(application, out var applicationMessage, out _));
        using var follower = new InstrumentRecorder(fixture.Beta.Service!.Services);

        // Epoch 2's commit while beta is at epoch 1 skips an epoch: refused, and the message beside it is not delivered.
        var skipping = await NotifyAsync(peers, room.Id, secondMessage, applicationMessage);
        Assert.Equal((400, "mls-commit-refused", "epoch"), skipping);

        // Epoch 1's commit with one bit of its signature changed: refused by the signature check.
        var signature = firstMessage.PublicMessage!;
        var forged = MlsPublicMessage.Create(signature.Content, ByteString.CopyFrom(Forgeries.Flip(signature.Signature.Span, 0)), signature.ConfirmationTag,
            signature.MembershipTag).ToMessage();
        Assert.Equal((400, "mls-commit-refused", "signature"), await NotifyAsync(peers, room.Id, forged));
        Assert.Empty((await lea.Client.ReadInboxAsync(room.Cursor(lea), TimeSpan.FromSeconds(1))).Items);

        // The honest commits through the hub reach Lea and beta's state, in order.
        await room.CommitAsync(kit, first);
        await room.CommitAsync(kit, second);
        await room.AssertAgreesAsync();

        // roomState is only for a provider hosting a member: beta asks about a room with none of its clients.
        var solo = await MlsRoom.CreateAsync(fixture, await fixture.MemberAsync(fixture.Alpha, "mo"), "solo");
        var betaPeers = fixture.Beta.Service!.Services.GetRequiredService<PeerClient>();
        Assert.Equal(404, (await betaPeers.SendAsync("alpha.test", MimiEndpoint.RoomState, solo.Id, [], null, default)).Status);
        var state = await betaPeers.SendAsync("alpha.test", MimiEndpoint.RoomState, room.Id, [], null, default);
        Assert.True(GroupInfoRatchetTreeTbe.TryDecode(state.Body, out var current, out _));
        Assert.Equal(3UL, current.GroupInfo.Epoch);

        // Beta counted each refused notify once, by its check, and nothing of the honest ones.
        Assert.Equal(1, follower.Sum("mimi.delivery.follower.refusals", ("mimi.mls.check", "epoch")));
        Assert.Equal(1, follower.Sum("mimi.delivery.follower.refusals", ("mimi.mls.check", "signature")));
        Assert.Equal(2, follower.Sum("mimi.delivery.follower.refusals"));
        TagValues.AssertBounded(follower.Measurements, ["alpha.test", "beta.test"]);
    }

    /// <summary>alpha's provider notifies beta directly (as a forged hub could): the status, problem kind and check of the answer.</summary>
    private static async Task<(int Status, string? Kind, string? Check)> NotifyAsync(PeerClient peers, string room, params MlsMessage[] messages)
    {
        var body = messages.SelectMany(m => new FanoutMessage((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), m, null, null, default, default).Encode()).ToArray();
        var response = await peers.SendAsync("beta.test", MimiEndpoint.Notify, room, body, null, default);
        if (response.Body.Length == 0)
        {
            return (response.Status, null, null);
        }

        using var problem = JsonDocument.Parse(response.Body);
        var type = problem.RootElement.GetProperty("type").GetString()!;
        return (response.Status, type["urn:mimi-discovery:problem:".Length..],
            problem.RootElement.TryGetProperty("check", out var check) ? check.GetString() : null);
    }
}
