using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Server.Tests.Fixtures;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// Franking (draft-ietf-mimi-protocol-06 §5.4.1, §5.9) with ts-mls clients: alpha.test hosts the room (hub), beta.test
/// follows it. Messages are MIMI content with the salt and URIs inside and the franking tag in the Safe AAD.
/// </summary>
public sealed class FrankingTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private const string Room = "mimi://alpha.test/r/franked";

    [Fact]
    public async Task Franked_messages_verify_with_the_published_key_and_abuse_reports_need_the_hubs_frank()
    {
        var (fran, gus) = await RoomOfTwoAsync(Room, "fran", "gus");
        using var hub = new InstrumentRecorder(fixture.Alpha.Service!.Services);
        using var follower = new InstrumentRecorder(fixture.Beta.Service!.Services);

        // Gus (at the follower) sends through beta → submitMessage → alpha's hub: the frank comes back with the answer.
        var (gusContent, gusMessage) = await FrankedAsync(gus, "hello from beta");
        var franSeen = await LastSeqAsync(fran);
        var gusAnswer = Submitted(await gus.Client.SubmitMessageAsync(Room, gusMessage));
        Assert.NotNull(gusAnswer.Frank);
        var atFran = Assert.Single(await InboxAsync(fran.Client, 1, franSeen));
        Assert.Equal(gusContent, (await fixture.Mls.ProcessAsync("fran", atFran.MessageBytes)).Plaintext);

        // A receiver checks the integrity signature with the franking key the hub publishes in its directory document.
        var agent = await FrankingAgentAsync(MlsCipherSuite.X25519Aes128GcmSha256Ed25519);
        Assert.Equal("mimi://alpha.test", agent.Credential.BasicIdentity);
        var gusContext = new ServerFrankingContext(gus.ClientUri, Room, gusAnswer.AcceptedTimestamp);
        Assert.Equal(MlsSignatureCheck.Valid, Franking.VerifySignature(gusAnswer.Frank!, gusContext, agent.FrankingSignatureKey.Span));
        Assert.Equal(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, gusAnswer.Frank!.FrankingSignatureCipherSuite);
        Assert.NotEqual(MlsSignatureCheck.Valid,
            Franking.VerifySignature(gusAnswer.Frank, gusContext with { SenderUri = fran.ClientUri }, agent.FrankingSignatureKey.Span));

        // Fran (local to the hub) sends; Gus, at the follower, receives the message; beta reports it to the hub.
        var (franContent, franMessage) = await FrankedAsync(fran, "something abusive");
        var gusSeen = await LastSeqAsync(gus);
        var franAnswer = Submitted(await fran.Client.SubmitMessageAsync(Room, franMessage));
        Assert.NotNull(franAnswer.Frank);
        var atGus = Assert.Single(await InboxAsync(gus.Client, 1, gusSeen));
        Assert.Equal(franContent, (await fixture.Mls.ProcessAsync("gus", atGus.MessageBytes)).Plaintext);
        var real = new AbusiveMessage(ByteString.CopyFrom(franContent), franAnswer.Frank!, franAnswer.AcceptedTimestamp);
        Assert.Equal(201, (await ReportAsync(gus, fran, real)).Status);

        // A made-up message with a real frank on it, and the real message with another timestamp, are refused by index.
        var madeUp = real with
        {
            MessageContent = ByteString.CopyFrom(MimiContentFranking.EncodeText(RandomNumberGenerator.GetBytes(16), fran.ClientUri, Room, "never sent")),
        };
        AssertRefused(await ReportAsync(gus, fran, madeUp), 0);
        AssertRefused(await ReportAsync(gus, fran, real, real with { AcceptedTimestamp = real.AcceptedTimestamp + 1 }), 1);
        AssertRefused(await ReportAsync(gus, fran, real with { MessageContent = ByteString.CopyFrom("not CBOR"u8.ToArray()) }), 0);

        // A message without frank_aad is accepted and not franked.
        var plain = await fixture.Mls.EncryptAsync("fran", Room, "no franking"u8.ToArray());
        Assert.Null(Submitted(await fran.Client.SubmitMessageAsync(Room, plain)).Frank);

        // The instruments: two franks issued, three reports refused for their frank, and the MIMI traffic between the two.
        Assert.Equal(2, hub.Sum("mimi.delivery.franks.issued"));
        Assert.Equal(3, hub.Sum("mimi.delivery.abuse_reports.invalid_frank"));
        var reports = ("mimi.peer.endpoint", (object)"reportAbuse");
        // Incoming requests are counted once their response is complete, which may be just after the caller read it.
        await Loopback.WaitUntilAsync(() => Task.FromResult(hub.Sum("mimi.peer.requests", ("mimi.peer.direction", "in"), reports) >= 4), TimeSpan.FromSeconds(10));
        Assert.Equal(1, hub.Sum("mimi.peer.requests", ("mimi.peer.direction", "in"), reports, ("mimi.destination", "beta.test"), ("http.response.status_code", 201)));
        Assert.Equal(3, hub.Sum("mimi.peer.requests", ("mimi.peer.direction", "in"), reports, ("mimi.destination", "beta.test"), ("http.response.status_code", 400)));
        Assert.Equal(4, follower.Sum("mimi.peer.requests", ("mimi.peer.direction", "out"), reports, ("mimi.destination", "alpha.test")));
        Assert.True(follower.Sum("mimi.peer.requests", ("mimi.peer.direction", "out"), ("mimi.peer.endpoint", "submitMessage"), ("http.response.status_code", 200)) >= 1);
        TagValues.AssertBounded(hub.Measurements.Concat(follower.Measurements), ["alpha.test", "beta.test"]);
    }

    [Fact]
    public async Task Regression_receivers_get_the_hubs_frank_with_the_message()
    {
        // Receivers' inbox items carried only the MLSMessage: no frank to verify, no timestamp, nothing to report with.
        const string room = "mimi://alpha.test/r/franked-inbox";
        var (hana, ivo) = await RoomOfTwoAsync(room, "hana", "ivo");
        var agent = await FrankingAgentAsync(MlsCipherSuite.X25519Aes128GcmSha256Ed25519);

        // Ivo, at the follower, sends: Hana, local to the hub, reads the frank and the hub's timestamp with the message.
        await ReceiveFrankedAsync(ivo, hana, "from the follower", room, agent);

        // Hana sends: Ivo, at the follower, reads them too, and reports the message with what his inbox item gave him.
        var (hanaContent, atIvo, ivosFrank) = await ReceiveFrankedAsync(hana, ivo, "from the hub", room, agent);
        var reported = new AbusiveMessage(ByteString.CopyFrom(hanaContent), ivosFrank, atIvo.AcceptedTimestamp!.Value);
        Assert.Equal(201, (await ReportAsync(room, ivo, hana, reported)).Status);
        AssertRefused(await ReportAsync(room, ivo, hana, reported with { AcceptedTimestamp = reported.AcceptedTimestamp - 1 }), 0);

        // A message without frank_aad reaches the receiver with the hub's timestamp and no frank.
        var ivoSeen = await LastSeqAsync(ivo);
        var plainAnswer = Submitted(await hana.Client.SubmitMessageAsync(room, await fixture.Mls.EncryptAsync("hana", room, "no franking"u8.ToArray())));
        var plain = Assert.Single(await InboxAsync(ivo.Client, 1, ivoSeen));
        Assert.Equal((null, plainAnswer.AcceptedTimestamp), (plain.Frank, plain.AcceptedTimestamp));
        Assert.Null(plain.ReadFrank());
    }

    // The sender submits a franked message; the receiver reads it from its inbox with the same frank and timestamp the
    // sender was answered, and checks the frank as a receiver does, with the key the hub publishes.
    private async Task<(byte[] Content, InboxItem Item, Frank Frank)> ReceiveFrankedAsync(Member sender, Member receiver, string text, string room,
        FrankingAgentData agent)
    {
        var (content, message) = await FrankedAsync(sender, text, room);
        var seen = await LastSeqAsync(receiver);
        var answer = Submitted(await sender.Client.SubmitMessageAsync(room, message));
        var item = Assert.Single(await InboxAsync(receiver.Client, 1, seen));
        Assert.Equal(content, (await fixture.Mls.ProcessAsync(receiver.Name, item.MessageBytes)).Plaintext);
        var frank = AssertFranked(item, sender, room, agent);
        Assert.Equal((Convert.ToHexString(answer.Frank!.Encode()), answer.AcceptedTimestamp), (Convert.ToHexString(frank.Encode()), item.AcceptedTimestamp!.Value));
        return (content, item, frank);
    }

    // The receiver's check: the frank on its inbox item is signed, for the sender, room and the item's timestamp, by the
    // key the hub publishes.
    private static Frank AssertFranked(InboxItem item, Member sender, string room, FrankingAgentData agent)
    {
        Assert.Equal("application", item.Kind);
        var frank = item.ReadFrank();
        Assert.NotNull(frank);
        Assert.NotNull(item.AcceptedTimestamp);
        var context = new ServerFrankingContext(sender.ClientUri, room, item.AcceptedTimestamp.Value);
        Assert.Equal(MlsSignatureCheck.Valid, Franking.VerifySignature(frank, context, agent.FrankingSignatureKey.Span));
        Assert.NotEqual(MlsSignatureCheck.Valid, Franking.VerifySignature(frank, context with { AcceptedTimestamp = context.AcceptedTimestamp + 1 },
            agent.FrankingSignatureKey.Span));
        return frank;
    }

    // A room hosted at alpha by its creator, with a member at beta (the follower) added and joined.
    private async Task<(Member AtHub, Member AtFollower)> RoomOfTwoAsync(string room, string creator, string joiner)
    {
        var atHub = await fixture.MemberAsync(fixture.Alpha, creator);
        var atFollower = await fixture.MemberAsync(fixture.Beta, joiner);
        var kp = await fixture.Mls.KeyPackageAsync(joiner);
        Assert.Equal(1, await atFollower.Client.UploadKeyPackagesAsync([kp.KeyPackage]));
        var created = await fixture.Mls.CreateGroupAsync(creator, room);
        await atHub.Client.CreateRoomAsync(room[(room.LastIndexOf('/') + 1)..], created.GroupInfo, created.RatchetTree);
        var claim = Decode(await atHub.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(atHub, atFollower.UserUri, room)));
        var commit = await fixture.Mls.AddMemberAsync(creator, room, AsMessage(Assert.Single(claim.Clients).KeyPackage!));
        Assert.Equal(UpdateResponseCode.Success, DecodeUpdate(await atHub.Client.UpdateRoomAsync(room, CommitUpdate(commit))).ResponseCode);
        var welcome = Assert.Single(await InboxAsync(atFollower.Client, 1));
        await fixture.Mls.JoinAsync(joiner, welcome.MessageBytes, welcome.RatchetTreeBytes);
        return (atHub, atFollower);
    }

    // A MIMI content message from the member, and the PrivateMessage carrying it with its franking tag in frank_aad.
    private async Task<(byte[] Content, byte[] Message)> FrankedAsync(Member sender, string text, string room = Room)
    {
        var salt = RandomNumberGenerator.GetBytes(MimiContentFranking.SaltLength);
        var content = MimiContentFranking.EncodeText(salt, sender.ClientUri, room, text);
        var aad = SafeAad.Encode((SafeAad.FrankAadComponent, Franking.Tag(salt, content)));
        return (content, await fixture.Mls.EncryptAsync(sender.Name, room, content, aad));
    }

    private static SubmitMessageResponse Submitted(byte[] body)
    {
        Assert.True(SubmitMessageResponse.TryDecode(body, out var response, out var error), error.Message);
        Assert.Equal(SubmitResponseCode.Accepted, response.StatusCode);
        return response;
    }

    private static async Task<long> LastSeqAsync(Member member) => (await member.Client.ReadInboxAsync()).Items.Select(i => i.Seq).DefaultIfEmpty(0).Max();

    private async Task<FrankingAgentData> FrankingAgentAsync(MlsCipherSuite suite)
    {
        using var http = fixture.Alpha.Service!.CreateClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(ProviderResolver.DirectoryPath));
        var encoded = document.RootElement.GetProperty("frankingAgents").GetProperty(((ushort)suite).ToString(System.Globalization.CultureInfo.InvariantCulture)).GetBytesFromBase64();
        Assert.True(FrankingAgentData.TryDecode(encoded, out var agent, out var error), error.Message);
        return agent;
    }

    private Task<PeerResponse> ReportAsync(Member reporter, Member abuser, params AbusiveMessage[] messages) =>
        ReportAsync(Room, reporter, abuser, messages);

    private static async Task<PeerResponse> ReportAsync(string room, Member reporter, Member abuser, params AbusiveMessage[] messages)
    {
        var report = new AbuseReport(reporter.UserUri, abuser.UserUri, 0, "franking test", ValueArray.Create(messages), AppDataDictionary.Empty);
        var peers = reporter.Provider.Service!.Services.GetRequiredService<PeerClient>();
        return await peers.SendAsync("alpha.test", MimiEndpoint.ReportAbuse, room, report.Encode(), null, default);
    }

    private static void AssertRefused(PeerResponse response, int index)
    {
        Assert.Equal(400, response.Status);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal("urn:mimi-discovery:problem:invalid-frank", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(index, problem.RootElement.GetProperty("messageIndex").GetInt32());
        Assert.StartsWith($"messages[{index}]", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
