using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Peers;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>Real MLS clients (ts-mls) talking through alpha.test's hub and beta.test as follower.</summary>
public sealed class DeliveryFlowTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task Alice_adds_Bob_across_providers_and_both_exchange_messages_exactly_once_even_across_a_follower_restart()
    {
        var alice = await fixture.MemberAsync(fixture.Alpha, "alice");
        var bob = await fixture.MemberAsync(fixture.Beta, "bob");
        const string room = "mimi://alpha.test/r/club";

        var kp = await fixture.Mls.KeyPackageAsync("bob");
        Assert.Equal(1, await bob.Client.UploadKeyPackagesAsync([kp.KeyPackage]));

        var created = await fixture.Mls.CreateGroupAsync("alice", room);
        Assert.Equal(room, (await alice.Client.CreateRoomAsync("club", created.GroupInfo, created.RatchetTree)).Room);

        var claim = Decode(await alice.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(alice, bob.UserUri, room)));
        Assert.Equal(KeyMaterialUserCode.Success, claim.UserStatus);
        var claimed = Assert.Single(claim.Clients);
        Assert.Equal(bob.ClientUri, claimed.ClientUri);
        Assert.Equal(kp.KeyPackage, AsMessage(claimed.KeyPackage!));

        var commit = await fixture.Mls.AddMemberAsync("alice", room, AsMessage(claimed.KeyPackage!));
        var accepted = DecodeUpdate(await alice.Client.UpdateRoomAsync(room, CommitUpdate(commit)));
        Assert.Equal(UpdateResponseCode.Success, accepted.ResponseCode);

        var welcome = Assert.Single(await InboxAsync(bob.Client, 1));
        Assert.Equal("welcome", welcome.Kind);
        Assert.Equal(room, welcome.Room);
        var (groupId, epoch) = await fixture.Mls.JoinAsync("bob", welcome.MessageBytes, welcome.RatchetTreeBytes);
        Assert.Equal(room, groupId);
        Assert.Equal(1UL, epoch);
        var after = welcome.Seq;

        // Alice → hub (alpha) → notify → beta → Bob.
        var hello = await fixture.Mls.EncryptAsync("alice", room, Encoding.UTF8.GetBytes("hello Bob"));
        var submitted = SubmitMessageResponse.TryDecode(await alice.Client.SubmitMessageAsync(room, hello), out var s, out _) ? s : null;
        Assert.Equal(SubmitResponseCode.Accepted, submitted!.StatusCode);
        var message = Assert.Single(await InboxAsync(bob.Client, 1, after));
        Assert.Equal("application", message.Kind);
        Assert.Equal("hello Bob", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("bob", message.MessageBytes)).Plaintext!));
        after = message.Seq;

        // Bob → beta → submitMessage → alpha's hub → Alice; Bob does not get his own message back.
        var reply = await fixture.Mls.EncryptAsync("bob", room, Encoding.UTF8.GetBytes("hi Alice"));
        await bob.Client.SubmitMessageAsync(room, reply);
        var atAlice = Assert.Single(await InboxAsync(alice.Client, 1));
        Assert.Equal("hi Alice", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("alice", atAlice.MessageBytes)).Plaintext!));
        Assert.Empty((await bob.Client.ReadInboxAsync(after, TimeSpan.FromSeconds(1.5))).Items);

        // beta is down while Alice sends: the outbox retries, and the message arrives once when beta is back.
        fixture.Beta.Stop();
        var whileDown = await fixture.Mls.EncryptAsync("alice", room, Encoding.UTF8.GetBytes("are you there?"));
        await alice.Client.SubmitMessageAsync(room, whileDown);
        await Task.Delay(TimeSpan.FromSeconds(1));
        fixture.Beta.Start();
        var bobAgain = fixture.Beta.As(bob.Credentials);
        var late = Assert.Single(await InboxAsync(bobAgain, 1, after));
        Assert.Equal("are you there?", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("bob", late.MessageBytes)).Plaintext!));
        Assert.Empty((await bobAgain.ReadInboxAsync(late.Seq, TimeSpan.FromSeconds(2))).Items);

        // Acknowledged items are gone.
        Assert.Equal(3, await bobAgain.AckInboxAsync(late.Seq));
        Assert.Empty((await bobAgain.ReadInboxAsync()).Items);
    }

    [Fact]
    public async Task A_duplicate_notify_is_answered_201_and_delivered_once()
    {
        var ann = await fixture.MemberAsync(fixture.Alpha, "ann");
        var ben = await fixture.MemberAsync(fixture.Beta, "ben");
        const string room = "mimi://alpha.test/r/dup";
        await ben.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("ben")).KeyPackage]);
        var created = await fixture.Mls.CreateGroupAsync("ann", room);
        await ann.Client.CreateRoomAsync("dup", created.GroupInfo, created.RatchetTree);
        var claim = Decode(await ann.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(ann, ben.UserUri, room)));
        var commit = await fixture.Mls.AddMemberAsync("ann", room, AsMessage(claim.Clients[0].KeyPackage!));
        await ann.Client.UpdateRoomAsync(room, CommitUpdate(commit));
        var welcome = Assert.Single(await InboxAsync(ben.Client, 1));
        await fixture.Mls.JoinAsync("ben", welcome.MessageBytes, welcome.RatchetTreeBytes);

        // alpha signs the same notify twice with one message id, as an outbox retry would.
        Assert.True(MlsMessage.TryDecode(await fixture.Mls.EncryptAsync("ann", room, Encoding.UTF8.GetBytes("once")), out var app, out _));
        var body = new FanoutMessage(1, app, null, null, default, default).Encode();
        var peers = fixture.Alpha.Service!.Services.GetRequiredService<PeerClient>();
        var id = Guid.NewGuid().ToString("N");
        var first = await peers.SendAsync("beta.test", MimiEndpoint.Notify, room, body, id, default);
        var second = await peers.SendAsync("beta.test", MimiEndpoint.Notify, room, body, id, default);
        Assert.Equal(201, first.Status);
        Assert.Equal(201, second.Status);

        var items = await InboxAsync(ben.Client, 1, welcome.Seq);
        Assert.Single(items);
        Assert.Empty((await ben.Client.ReadInboxAsync(items[0].Seq, TimeSpan.FromSeconds(1))).Items);
        Assert.Equal("once", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("ben", items[0].MessageBytes)).Plaintext!));

        // A notify about a room the sender does not host is refused.
        var foreign = await peers.SendAsync("beta.test", MimiEndpoint.Notify, "mimi://beta.test/r/other", body, null, default);
        Assert.Equal(403, foreign.Status);
    }

    [Fact]
    public async Task Commits_are_ordered_per_epoch_a_stale_one_gets_wrong_epoch_and_of_two_concurrent_exactly_one_wins()
    {
        var cy = await fixture.MemberAsync(fixture.Alpha, "cy");
        var dee = await fixture.MemberAsync(fixture.Beta, "dee");
        const string room = "mimi://alpha.test/r/race";
        await dee.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("dee")).KeyPackage, (await fixture.Mls.KeyPackageAsync("dee")).KeyPackage]);
        var created = await fixture.Mls.CreateGroupAsync("cy", room);
        await cy.Client.CreateRoomAsync("race", created.GroupInfo, created.RatchetTree);

        // Cy's tablet joins (its Welcome is taken straight from ts-mls): two members at epoch 1, each committing a
        // different Add, make two valid epoch-1 commits.
        var (tablet, _) = await fixture.Alpha.AddUserAsync("cy", "cy-tablet");
        await fixture.Mls.CreateClientAsync("cy-tablet", "mimi://alpha.test/d/cy-tablet");
        var toTablet = await fixture.Mls.AddMemberAsync("cy", room, (await fixture.Mls.KeyPackageAsync("cy-tablet")).KeyPackage);
        Assert.Equal(UpdateResponseCode.Success, DecodeUpdate(await cy.Client.UpdateRoomAsync(room, CommitUpdate(toTablet))).ResponseCode);
        await fixture.Mls.JoinAsync("cy-tablet", toTablet.Welcome, toTablet.RatchetTree);
        var first = Decode(await cy.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(cy, dee.UserUri, room))).Clients[0].KeyPackage!;
        var second = Decode(await cy.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(cy, dee.UserUri, room))).Clients[0].KeyPackage!;
        Assert.NotEqual(first.Encoded, second.Encoded);
        var a = CommitUpdate(await fixture.Mls.AddMemberAsync("cy", room, AsMessage(first)));
        var b = CommitUpdate(await fixture.Mls.AddMemberAsync("cy-tablet", room, AsMessage(second)));

        var answers = await Task.WhenAll(cy.Client.UpdateRoomAsync(room, a), tablet.UpdateRoomAsync(room, b));
        var decoded = answers.Select(DecodeUpdate).ToArray();
        Assert.Single(decoded, d => d.ResponseCode == UpdateResponseCode.Success);
        var loser = Assert.Single(decoded, d => d.ResponseCode == UpdateResponseCode.WrongEpoch);
        Assert.Equal(2UL, loser.CurrentEpoch);

        var stale = DecodeUpdate(await cy.Client.UpdateRoomAsync(room, a));
        Assert.Equal(UpdateResponseCode.WrongEpoch, stale.ResponseCode);
        Assert.Equal(2UL, stale.CurrentEpoch);
        Assert.Equal(2UL, (await cy.Client.GetRoomGroupInfoAsync(room)).Epoch);

        // Only the winner's Welcome went out.
        var welcome = Assert.Single(await InboxAsync(dee.Client, 1));
        Assert.Equal("welcome", welcome.Kind);
        Assert.Empty((await dee.Client.ReadInboxAsync(welcome.Seq, TimeSpan.FromSeconds(1))).Items);

        // A client that is not a member of the room is refused by the hub.
        var outsider = await fixture.MemberAsync(fixture.Alpha, "outsider");
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => outsider.Client.UpdateRoomAsync(room, a));
        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task KeyPackages_are_single_use_and_a_last_resort_one_repeats()
    {
        var eli = await fixture.MemberAsync(fixture.Alpha, "eli");
        var fay = await fixture.MemberAsync(fixture.Beta, "fay");
        var single = await fixture.Mls.KeyPackageAsync("fay");
        var lastResort = await fixture.Mls.KeyPackageAsync("fay", lastResort: true);
        Assert.Equal(2, await fay.Client.UploadKeyPackagesAsync([single.KeyPackage, lastResort.KeyPackage]));
        Assert.Equal(new KeyPackageCounts(1, 1), await fay.Client.GetKeyPackageCountsAsync());

        var claims = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            var response = Decode(await eli.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(eli, fay.UserUri)));
            Assert.Equal(KeyMaterialUserCode.Success, response.UserStatus);
            claims.Add(AsMessage(response.Clients[0].KeyPackage!));
        }

        Assert.Equal(single.KeyPackage, claims[0]);
        Assert.Equal(lastResort.KeyPackage, claims[1]);
        Assert.Equal(lastResort.KeyPackage, claims[2]);
        Assert.Equal(new KeyPackageCounts(0, 1), await fay.Client.GetKeyPackageCountsAsync());
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_out_one_KeyPackage_twice()
    {
        var gus = await fixture.MemberAsync(fixture.Alpha, "gus");
        var hal = await fixture.MemberAsync(fixture.Beta, "hal");
        var uploaded = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            uploaded.Add((await fixture.Mls.KeyPackageAsync("hal")).KeyPackage);
        }

        await hal.Client.UploadKeyPackagesAsync(uploaded);
        var request = await KeyMaterialRequestAsync(gus, hal.UserUri);
        var responses = (await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(_ => gus.Client.ClaimKeyMaterialAsync(request)))).Select(Decode).ToArray();
        var handedOut = responses.Where(r => r.UserStatus == KeyMaterialUserCode.Success).Select(r => Convert.ToHexString(AsMessage(r.Clients[0].KeyPackage!))).ToList();
        Assert.Equal(6, handedOut.Count);
        Assert.Equal(6, handedOut.Distinct().Count());
        Assert.All(responses.Where(r => r.UserStatus != KeyMaterialUserCode.Success), r =>
        {
            Assert.Equal(KeyMaterialUserCode.NoCompatibleMaterial, r.UserStatus);
            Assert.Equal(KeyMaterialClientCode.KeyMaterialExhausted, Assert.Single(r.Clients).ClientStatus);
        });
    }

    [Fact]
    public async Task Expired_foreign_and_malformed_KeyPackages_are_refused_with_a_problem()
    {
        var ivy = await fixture.MemberAsync(fixture.Beta, "ivy");
        await fixture.Mls.CreateClientAsync("ivy-impostor", "mimi://beta.test/d/someone-else");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expired = await fixture.Mls.KeyPackageAsync("ivy", notBefore: now - 7200, notAfter: now - 3600);
        var foreign = await fixture.Mls.KeyPackageAsync("ivy-impostor");
        var good = await fixture.Mls.KeyPackageAsync("ivy");

        var e = await Assert.ThrowsAsync<MimiApiException>(() => ivy.Client.UploadKeyPackagesAsync([good.KeyPackage, expired.KeyPackage]));
        Assert.Equal(400, e.Status);
        Assert.Equal("urn:mimi-discovery:problem:invalid-key-package", e.Problem!.Type);
        Assert.Contains("keyPackages[1]", e.Problem.Detail, StringComparison.Ordinal);
        var f = await Assert.ThrowsAsync<MimiApiException>(() => ivy.Client.UploadKeyPackagesAsync([foreign.KeyPackage]));
        Assert.Equal(400, f.Status);
        var m = await Assert.ThrowsAsync<MimiApiException>(() => ivy.Client.UploadKeyPackagesAsync([good.KeyPackage[..^3]]));
        Assert.Equal(400, m.Status);

        // A refused batch stores nothing, not even its valid members.
        Assert.Equal(new KeyPackageCounts(0, 0), await ivy.Client.GetKeyPackageCountsAsync());
    }

    [Fact]
    public async Task Truncated_trailing_and_oversized_length_bodies_are_refused_with_400()
    {
        var jo = await fixture.MemberAsync(fixture.Alpha, "jo");
        const string room = "mimi://alpha.test/r/bodies";
        var created = await fixture.Mls.CreateGroupAsync("jo", room);
        await jo.Client.CreateRoomAsync("bodies", created.GroupInfo, created.RatchetTree);
        var message = await fixture.Mls.EncryptAsync("jo", room, Encoding.UTF8.GetBytes("x"));

        var truncated = await Assert.ThrowsAsync<MimiApiException>(() => jo.Client.SubmitMessageAsync(room, message[..^5]));
        Assert.Equal(400, truncated.Status);
        Assert.Equal("urn:mimi-discovery:problem:invalid-message", truncated.Problem!.Type);
        var trailing = await Assert.ThrowsAsync<MimiApiException>(() => jo.Client.SubmitMessageAsync(room, [.. message, 0]));
        Assert.Equal(400, trailing.Status);
        var claim = await Assert.ThrowsAsync<MimiApiException>(() => jo.Client.ClaimKeyMaterialAsync([0x01, 0x05]));
        Assert.Equal(400, claim.Status);
        // A length prefix claiming about a gigabyte (requestingUser) in a short body.
        var oversized = await Assert.ThrowsAsync<MimiApiException>(() => jo.Client.ClaimKeyMaterialAsync([0x01, 0xBF, 0xFF, 0xFF, 0xFF, 0x61]));
        Assert.Equal(400, oversized.Status);
        Assert.Equal("urn:mimi-discovery:problem:invalid-message", oversized.Problem!.Type);

        // The well-formed message is still accepted after all that.
        Assert.True(SubmitMessageResponse.TryDecode(await jo.Client.SubmitMessageAsync(room, message), out var ok, out _));
        Assert.Equal(SubmitResponseCode.Accepted, ok.StatusCode);
    }

    [Fact]
    public async Task Consent_required_and_unknown_targets_both_answer_no_consent()
    {
        var kim = await fixture.MemberAsync(fixture.Alpha, "kim");
        var lou = await fixture.MemberAsync(fixture.Beta, "lou", "consent-required");
        await lou.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("lou")).KeyPackage]);

        var refused = Decode(await kim.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(kim, lou.UserUri)));
        Assert.Equal(KeyMaterialUserCode.NoConsent, refused.UserStatus);
        Assert.Empty(refused.Clients);
        var unknown = Decode(await kim.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(kim, "mimi://beta.test/u/nobody")));
        Assert.Equal(KeyMaterialUserCode.NoConsent, unknown.UserStatus);
        Assert.Empty(unknown.Clients);
        Assert.Equal(new KeyPackageCounts(1, 0), await lou.Client.GetKeyPackageCountsAsync());

        // A client can only claim as its own user.
        var asLou = await KeyMaterialRequestAsync(lou, kim.UserUri);
        var spoofed = await Assert.ThrowsAsync<MimiApiException>(() => kim.Client.ClaimKeyMaterialAsync(asLou));
        Assert.Equal(403, spoofed.Status);
    }

    [Fact]
    public async Task A_Welcome_for_a_quarantine_mode_user_is_held_with_the_rooms_messages_until_released()
    {
        var max = await fixture.MemberAsync(fixture.Alpha, "max");
        var nia = await fixture.MemberAsync(fixture.Beta, "nia", "quarantine");
        const string room = "mimi://alpha.test/r/held";
        await nia.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("nia")).KeyPackage]);
        var created = await fixture.Mls.CreateGroupAsync("max", room);
        await max.Client.CreateRoomAsync("held", created.GroupInfo, created.RatchetTree);
        var claim = Decode(await max.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(max, nia.UserUri, room)));
        Assert.Equal(KeyMaterialUserCode.Success, claim.UserStatus);
        await max.Client.UpdateRoomAsync(room, CommitUpdate(await fixture.Mls.AddMemberAsync("max", room, AsMessage(claim.Clients[0].KeyPackage!))));
        await max.Client.SubmitMessageAsync(room, await fixture.Mls.EncryptAsync("max", room, Encoding.UTF8.GetBytes("first words")));

        var store = fixture.Beta.Service!.Services.GetRequiredService<Mimi.Discovery.Storage.InboxStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await store.CountHeldAsync(nia.ClientUri, default) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(2, await store.CountHeldAsync(nia.ClientUri, default));
        Assert.Empty((await nia.Client.ReadInboxAsync()).Items);

        await fixture.Beta.Service!.Services.GetRequiredService<IQuarantineRelease>().ReleaseAsync(nia.UserUri, max.UserUri, default);
        var released = await InboxAsync(nia.Client, 2);
        Assert.Equal(["welcome", "application"], released.Select(i => i.Kind));
        await fixture.Mls.JoinAsync("nia", released[0].MessageBytes, released[0].RatchetTreeBytes);
        Assert.Equal("first words", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("nia", released[1].MessageBytes)).Plaintext!));
    }
}
