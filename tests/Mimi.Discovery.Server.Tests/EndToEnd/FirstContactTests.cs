using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Server.Lookup.Private;
using Mimi.Discovery.Server.Tests.Delivery;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.EndToEnd;

/// <summary>
/// The flow of DESIGN.md end to end, with every part real: a discovery service and two providers (alpha.test,
/// beta.test) each on its own PostgreSQL database and sharing one Redis, dnsmasq serving their SRV records, an SMS
/// gateway stand-in for Bob's one-time code, and ts-mls clients for Alice and Bob.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FirstContactTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string BobNumber = "tel:+15550001111";
    private const string Bob = "mimi://beta.test/u/bob";
    private const string Alice = "mimi://alpha.test/u/alice";

    private RedisServer _redis = null!;
    private readonly CodeGateway _sms = new();
    private ProviderNetwork _network = null!;
    private MlsPeer _mls = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartLocalAsync();
        _network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test"], _ => postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Redis:Configuration"] = _redis.EndPoint },
            _sms.Settings());
        _mls = await MlsPeer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _mls.DisposeAsync();
        await _network.DisposeAsync();
        _sms.Dispose();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Bob_is_bound_logged_and_found_by_a_private_lookup()
    {
        var (serial, logIndex) = await VerifyBobAsync();

        // An auditor that did not write the log checks the signed checkpoint, every entry, and Bob's inclusion.
        var discovery = _network.Discovery.Anonymous();
        var credential = await _network["beta.test"].AtDiscovery().GetCredentialAsync(serial);
        var audit = await new LogAuditor(discovery).AuditAsync(null, await discovery.GetLogVerifierKeyAsync(),
            [CredentialToCheck.From(credential) with { LogIndex = logIndex }]);
        Assert.True(audit.Ok, string.Join("\n", audit.Findings));

        var mapping = await FindBobPrivatelyAsync();
        Assert.Equal(serial, mapping.Serial);
        Assert.Equal($"http://beta.test:{_network["beta.test"].Port}/mimi/v1/keyMaterial/{Uri.EscapeDataString(Bob)}", mapping.KeyMaterial);
    }

    [Fact]
    public async Task Alice_reaches_Bob_with_consent_and_real_MLS_and_a_message_sent_while_beta_is_down_arrives_once()
    {
        var alpha = _network["alpha.test"];
        var beta = _network["beta.test"];
        var (bob, bobKey) = await beta.AddUserAsync("bob", "bob-phone", "consent-required");
        var (alice, _) = await alpha.AddUserAsync("alice", "alice-phone", "open");
        await VerifyBobAsync();
        var mapping = await FindBobPrivatelyAsync();
        var aliceSignatureKey = await _mls.CreateClientAsync("alice", "mimi://alpha.test/d/alice-phone");
        var keyPackage = await _mls.KeyPackageAsync("bob");
        Assert.Equal(2, await bob.UploadKeyPackagesAsync([keyPackage.KeyPackage, (await _mls.KeyPackageAsync("bob", lastResort: true)).KeyPackage]));

        // Step 4: without consent, beta answers Alice's claim with noConsent (as it would for an unknown user).
        const string Room = "mimi://alpha.test/r/first-contact";
        var refused = Decode(await alice.ClaimKeyMaterialAsync(await ClaimRequestAsync(Alice, "mimi://alpha.test/d/alice-phone", aliceSignatureKey, mapping.Ssi, Room)));
        Assert.Equal(KeyMaterialUserCode.NoConsent, refused.UserStatus);

        // Alice asks; alpha resolves beta.test by SRV and delivers requestConsent; Bob sees it pending and grants.
        await alice.RequestConsentAsync(mapping.Ssi);
        var pending = await Loopback.EventuallyAsync(async () => Assert.Single(await bob.ListPendingConsentAsync()));
        Assert.Equal(Alice, pending.Requester);
        await bob.AcceptConsentAsync(Alice);
        await Loopback.EventuallyAsync(async () =>
        {
            Assert.Equal("granted", Assert.Single(await alice.ListConsentRequestsAsync()).State);
            return true;
        });

        // Step 5: alpha's hub claims Bob's KeyPackage (single use), Alice adds Bob, the Welcome reaches beta and Bob joins.
        var claim = Decode(await alice.ClaimKeyMaterialAsync(await ClaimRequestAsync(Alice, "mimi://alpha.test/d/alice-phone", aliceSignatureKey, mapping.Ssi, Room)));
        Assert.Equal(KeyMaterialUserCode.Success, claim.UserStatus);
        var claimed = Assert.Single(claim.Clients).KeyPackage!;
        Assert.Equal(keyPackage.KeyPackage, DeliveryFixture.AsMessage(claimed));
        var created = await _mls.CreateGroupAsync("alice", Room);
        await alice.CreateRoomAsync("first-contact", created.GroupInfo, created.RatchetTree);
        var commit = await _mls.AddMemberAsync("alice", Room, DeliveryFixture.AsMessage(claimed));
        Assert.Equal(UpdateResponseCode.Success, DeliveryFixture.DecodeUpdate(await alice.UpdateRoomAsync(Room, DeliveryFixture.CommitUpdate(commit))).ResponseCode);
        var welcome = Assert.Single(await DeliveryFixture.InboxAsync(bob, 1));
        Assert.Equal("welcome", welcome.Kind);
        Assert.Equal((Room, 1UL), await _mls.JoinAsync("bob", welcome.MessageBytes, welcome.RatchetTreeBytes));

        // Bob decrypts Alice's message and replies through beta to alpha's hub.
        await alice.SubmitMessageAsync(Room, await _mls.EncryptAsync("alice", Room, "hello Bob"u8.ToArray()));
        var hello = Assert.Single(await DeliveryFixture.InboxAsync(bob, 1, welcome.Seq));
        Assert.Equal("hello Bob", System.Text.Encoding.UTF8.GetString((await _mls.ProcessAsync("bob", hello.MessageBytes)).Plaintext!));
        await bob.SubmitMessageAsync(Room, await _mls.EncryptAsync("bob", Room, "hi Alice"u8.ToArray()));
        var reply = Assert.Single(await DeliveryFixture.InboxAsync(alice, 1));
        Assert.Equal("hi Alice", System.Text.Encoding.UTF8.GetString((await _mls.ProcessAsync("alice", reply.MessageBytes)).Plaintext!));

        // beta stops; Alice sends; beta comes back on the same database; the message arrives exactly once.
        beta.Stop();
        await alice.SubmitMessageAsync(Room, await _mls.EncryptAsync("alice", Room, "while you were away"u8.ToArray()));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        beta.Start();
        var bobAgain = beta.As(bobKey);
        var late = Assert.Single(await DeliveryFixture.InboxAsync(bobAgain, 1, hello.Seq));
        Assert.Equal("while you were away", System.Text.Encoding.UTF8.GetString((await _mls.ProcessAsync("bob", late.MessageBytes)).Plaintext!));
        Assert.Empty((await bobAgain.ReadInboxAsync(late.Seq, TimeSpan.FromSeconds(2))).Items);
    }

    /// <summary>A KeyMaterialRequest as Alice's client sends it through her provider, signed by her ts-mls client.</summary>
    private Task<byte[]> ClaimRequestAsync(string requester, string requesterClient, byte[] signatureKey, string target, string room) =>
        DeliveryMessages.KeyMaterialRequestAsync(requester, requesterClient, target, room, MlsCipherSuite.X25519Aes128GcmSha256Ed25519, signatureKey, (label, content, _) => _mls.SignWithLabelAsync("alice", label, content));

    private static KeyMaterialResponse Decode(byte[] response) => DeliveryFixture.Decode(response);

    /// <summary>Step 2: beta proves Bob controls his number (one-time code by SMS) and the authority binds it to Bob, logged.</summary>
    private async Task<(string Serial, long LogIndex)> VerifyBobAsync()
    {
        var beta = _network["beta.test"];
        var atDiscovery = beta.AtDiscovery();
        // Lookups return beta's keyMaterial endpoint, as its directory document publishes it.
        await atDiscovery.SetKeyMaterialUrlAsync($"http://beta.test:{beta.Port}/mimi/v1/keyMaterial/{{targetUser}}");
        var signatureKey = await _mls.CreateClientAsync("bob", "mimi://beta.test/d/bob-phone");
        var challenge = await atDiscovery.CreateChallengeAsync(BobNumber, Bob);
        var credential = await atDiscovery.IssueCredentialAsync(BobNumber, Bob, Ed25519SubjectPublicKeyInfo(signatureKey), ["mobile"],
            challenge.ChallengeId, _sms.LastCodeFor(BobNumber));
        return (credential.Serial, credential.LogIndex);
    }

    /// <summary>Step 3: alpha looks Bob's number up without the discovery service learning whom it looks for.</summary>
    private async Task<LookupMapping> FindBobPrivatelyAsync()
    {
        await _network.Discovery.Services.GetRequiredService<PrivateRecordRebuilder>().CatchUpNowAsync(default);
        var alpha = _network["alpha.test"];
        var lookup = new PrivateLookupClient(_network.Discovery.CreateClient(), alpha.AtDiscovery());
        var result = Assert.Single((await lookup.LookupAsync([BobNumber])).Results);
        Assert.Equal("found", result.Status);
        var mapping = Assert.Single(result.Mappings);
        Assert.Equal((Bob, "beta.test"), (mapping.Ssi, mapping.Provider));
        return mapping;
    }

    private static byte[] Ed25519SubjectPublicKeyInfo(byte[] key) => [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. key];
}
