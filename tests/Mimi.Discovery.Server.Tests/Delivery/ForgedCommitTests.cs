using System.Text;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Server.Tests.Fixtures;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// Forged commits, built in C# from honest ts-mls ones, each refused by the hub with the check it fails — while the
/// honest commit they were made from is accepted after them and every member goes on with the hub in agreement.
/// </summary>
public sealed class ForgedCommitTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task Each_forgery_is_refused_by_the_check_it_fails_and_the_honest_members_go_on()
    {
        var nat = await fixture.MemberAsync(fixture.Alpha, "nat");
        var oz = await fixture.MemberAsync(fixture.Beta, "oz");
        var pia = await fixture.MemberAsync(fixture.Beta, "pia");
        var quinn = await fixture.MemberAsync(fixture.Alpha, "quinn");
        var room = await MlsRoom.CreateAsync(fixture, nat, "forgeries");
        await room.CommitAsync(nat, await fixture.Mls.AddMemberAsync("nat", room.Id, await room.ClaimAsync(nat, oz, pia)), oz, pia);
        using var hub = new InstrumentRecorder(fixture.Alpha.Service!.Services);
        using var follower = new InstrumentRecorder(fixture.Beta.Service!.Services);

        // Signed by a key that is not the sender's leaf (another member's).
        var update = await fixture.Mls.UpdateAsync("nat", room.Id);
        var honest = Message(update.Commit);
        var context = (await room.HubStateAsync()).Context;
        var resigned = await Forgeries.SignAsync(fixture.Mls, "pia", honest.PublicMessage!.Content, context, honest);
        await RefusedAsync(room, nat, Forgeries.Update(resigned, [], GroupInfo(update), update.RatchetTree), "signature");
        await room.CommitAsync(nat, update);

        // An UpdatePath with one bit of a node's public key changed: its parent hashes no longer match (re-signed by its sender).
        update = await fixture.Mls.UpdateAsync("oz", room.Id);
        honest = Message(update.Commit);
        var commit = honest.PublicMessage!.Content.Commit!;
        var path = commit.Path!;
        var node = path.Nodes[0] with { EncryptionKey = ByteString.CopyFrom(Forgeries.Flip(path.Nodes[0].EncryptionKey.Span, -1)) };
        var flipped = commit with { Path = path with { Nodes = ValueArray.Create([node, .. path.Nodes.Skip(1)]) } };
        context = (await room.HubStateAsync()).Context;
        var badPath = await Forgeries.SignAsync(fixture.Mls, "oz", Forgeries.WithCommit(honest, flipped), context, honest);
        await RefusedAsync(room, oz, Forgeries.Update(badPath, [], GroupInfo(update), update.RatchetTree), "parent-hash");
        await room.CommitAsync(oz, update);

        // An attached tree that is not the one the hub computes (the previous epoch's).
        var previousTree = update.RatchetTree;
        update = await fixture.Mls.UpdateAsync("nat", room.Id);
        await RefusedAsync(room, nat, Forgeries.Update(Message(update.Commit), [], GroupInfo(update), previousTree), "attached-tree");
        await room.CommitAsync(nat, update);

        // GroupInfos signed by the committer, at the wrong epoch and with the wrong tree hash.
        update = await fixture.Mls.UpdateAsync("oz", room.Id);
        var info = GroupInfo(update);
        var wrongEpoch = await Forgeries.GroupInfoAsync(fixture.Mls, "oz", info, info.Context with { Epoch = info.Epoch + 1 });
        await RefusedAsync(room, oz, Forgeries.Update(Message(update.Commit), [], wrongEpoch, update.RatchetTree), "group-info-epoch");
        var wrongHash = await Forgeries.GroupInfoAsync(fixture.Mls, "oz", info,
            info.Context with { TreeHash = ByteString.CopyFrom(Forgeries.Flip(info.Context.TreeHash.Span, 3)) });
        await RefusedAsync(room, oz, Forgeries.Update(Message(update.Commit), [], wrongHash, update.RatchetTree), "group-info-tree-hash");
        await room.CommitAsync(oz, update);

        // Adds of a KeyPackage with a bad signature and of an expired one, in place of the honest Add (re-signed by the committer).
        var add = await fixture.Mls.AddMemberAsync("nat", room.Id, await room.ClaimAsync(nat, quinn));
        honest = Message(add.Commit);
        commit = honest.PublicMessage!.Content.Commit!;
        var keyPackage = commit.Proposals[0].Proposal!.Add!;
        Assert.True(MlsKeyPackage.TryDecode(Forgeries.Flip(keyPackage.Encoded.Span, -1), out var badSignature, out _));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expired = Message((await fixture.Mls.KeyPackageAsync("quinn", notBefore: now - 7200, notAfter: now - 3600)).KeyPackage).KeyPackage!;
        context = (await room.HubStateAsync()).Context;
        foreach (var forgedPackage in new[] { badSignature, expired })
        {
            var forgedAdd = commit with { Proposals = ValueArray.Create(MlsProposalOrRef.Inline(MlsProposal.ForAdd(forgedPackage))) };
            var forged = await Forgeries.SignAsync(fixture.Mls, "nat", Forgeries.WithCommit(honest, forgedAdd), context, honest);
            await RefusedAsync(room, nat, Forgeries.Update(forged, [], GroupInfo(add), add.RatchetTree), "add-key-package");
        }

        await room.CommitAsync(nat, add, quinn);
        await room.AssertAgreesAsync();

        // A commit from a removed member: Pia's own, moved to the current epoch and signed by her, forwarded by beta as
        // if for Oz (beta still hosts a member); the hub finds her leaf blank. Beta no longer forwards for Pia herself.
        var stale = await fixture.Mls.UpdateAsync("pia", room.Id);
        await room.RemoveAsync(nat, pia);
        var state = await room.HubStateAsync();
        var fromRemoved = await Forgeries.SignAsync(fixture.Mls, "pia", Forgeries.AtEpoch(Message(stale.Commit), state.Context.Epoch), state.Context,
            Message(stale.Commit));
        await RefusedAsync(room, oz, Forgeries.Update(fromRemoved, [], GroupInfo(stale), stale.RatchetTree), "sender");
        Assert.Equal(403, (await Assert.ThrowsAsync<MimiApiException>(() => pia.Client.UpdateRoomAsync(room.Id, CommitUpdate(stale)))).Status);

        // The honest members go on: a commit, and a message everyone still in the room reads.
        await room.CommitAsync(oz, await fixture.Mls.UpdateAsync("oz", room.Id));
        await room.AssertAgreesAsync();
        await nat.Client.SubmitMessageAsync(room.Id, await fixture.Mls.EncryptAsync("nat", room.Id, Encoding.UTF8.GetBytes("still here")));
        foreach (var member in room.Members.Where(m => m != nat))
        {
            var item = Assert.Single(await InboxAsync(member.Client, 1, room.Cursor(member)));
            Assert.Equal("still here", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync(member.Name, item.MessageBytes)).Plaintext!));
        }

        // The hub counted each refused commit once, by its check (forwarded by beta or not); no proposal was refused, and
        // beta, following the honest commits, refused nothing.
        var refused = hub.Measurements.Where(m => m.Instrument == "mimi.delivery.commits.refused")
            .GroupBy(m => (string)m.Tags["mimi.mls.check"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, double>
        {
            ["signature"] = 1,
            ["parent-hash"] = 1,
            ["attached-tree"] = 1,
            ["group-info-epoch"] = 1,
            ["group-info-tree-hash"] = 1,
            ["add-key-package"] = 2,
            ["sender"] = 1,
        }, refused);
        Assert.Equal(0, hub.Sum("mimi.delivery.proposals.refused"));
        Assert.Equal(0, follower.Sum("mimi.delivery.commits.refused") + follower.Sum("mimi.delivery.follower.refusals"));
        TagValues.AssertBounded(hub.Measurements.Concat(follower.Measurements), ["alpha.test", "beta.test"]);
    }

    /// <summary>The hub refuses <paramref name="update"/> with a 400 <c>mls-commit-refused</c> naming <paramref name="check"/>; nothing reaches the members.</summary>
    private static async Task RefusedAsync(MlsRoom room, Member sender, byte[] update, string check)
    {
        var before = await room.HubStateAsync();
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => sender.Client.UpdateRoomAsync(room.Id, update));
        Assert.Equal((400, "urn:mimi-discovery:problem:mls-commit-refused"), (refused.Status, refused.Problem!.Type));
        Assert.Equal(check, refused.Problem.Extensions!["check"].GetString());
        Assert.StartsWith(check + ": ", refused.Problem.Detail, StringComparison.Ordinal);
        var after = await room.HubStateAsync();
        Assert.Equal(before.Encode(), after.Encode());
        foreach (var member in room.Members.Where(m => m != sender))
        {
            Assert.Empty((await member.Client.ReadInboxAsync(room.Cursor(member))).Items);
        }
    }

    private static MlsMessage Message(byte[] encoded) =>
        MlsMessage.TryDecode(encoded, out var message, out var error) ? message : throw new InvalidDataException(error.Message);

    private static MlsGroupInfo GroupInfo(MlsPeerCommit commit) => Message(commit.GroupInfo).GroupInfo!;
}
