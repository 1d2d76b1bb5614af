using System.Net;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Sandbox;

namespace Mimi.Discovery.Cli.Demo;

/// <summary>The steps of <c>mimi demo</c>, each printed as it happens (DESIGN.md, "The flow it must carry end to end").</summary>
internal sealed class DemoFlow(DemoNetwork network, string peerDirectory)
{
    private const string Alpha = "alpha.demo";
    private const string Beta = "beta.demo";
    private const string BobNumber = "tel:+15550001111";
    private const string Bob = "mimi://beta.demo/u/bob";
    private const string BobPhone = "mimi://beta.demo/d/bob-phone";
    private const string Alice = "mimi://alpha.demo/u/alice";
    private const string AlicePhone = "mimi://alpha.demo/d/alice-phone";

    public async Task RunAsync(CancellationToken ct)
    {
        await using var mls = await MlsPeer.StartAsync(peerDirectory);
        using var betaKey = network.ProviderKey(Beta);
        using var alphaKey = network.ProviderKey(Alpha);
        var betaAtDiscovery = network.Client("discovery", betaKey);
        var alphaAtDiscovery = network.Client("discovery", alphaKey);

        // 1. Users and their clients at their providers.
        var bobSignatureKey = await mls.CreateClientAsync("bob", BobPhone);
        var aliceSignatureKey = await mls.CreateClientAsync("alice", AlicePhone);
        var (bob, alice) = await DemoCommand.Step("beta.demo hosts Bob (consent required), alpha.demo hosts Alice; each has one MLS client (ts-mls)", async () =>
        {
            var bobClient = await AddUserAsync(Beta, "bob", "bob-phone", "consent-required", ct);
            var aliceClient = await AddUserAsync(Alpha, "alice", "alice-phone", "open", ct);
            await betaAtDiscovery.SetKeyMaterialUrlAsync($"http://{Beta}:{network.Port(Beta)}/mimi/v1/keyMaterial/{{targetUser}}", ct);
            await bobClient.UploadKeyPackagesAsync(
                [(await mls.KeyPackageAsync("bob")).KeyPackage, (await mls.KeyPackageAsync("bob", lastResort: true)).KeyPackage], ct);
            return (bobClient, aliceClient);
        }, _ => $"{Bob} with client {BobPhone} (2 KeyPackages uploaded, one last-resort); {Alice} with client {AlicePhone}");

        // 2. Bob proves control of his number; the authority binds it to his MLS signature key and logs it.
        var credential = await DemoCommand.Step($"Bob proves control of {BobNumber} by a one-time code; the authority issues his credential", async () =>
        {
            var challenge = await betaAtDiscovery.CreateChallengeAsync(BobNumber, Bob, ct);
            var code = await NextCodeAsync(ct);
            return await betaAtDiscovery.IssueCredentialAsync(BobNumber, Bob, [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. bobSignatureKey],
                ["mobile"], challenge.ChallengeId, code, ct: ct);
        }, c => $"credential {c.Serial}, logged at index {c.LogIndex}, valid until {c.NotAfter:u}");

        await DemoCommand.Step("An auditor checks the issuance log: signed checkpoint, every entry, Bob's inclusion", async () =>
        {
            var anonymous = network.Client("discovery", null);
            var audit = await new LogAuditor(anonymous).AuditAsync(null, await anonymous.GetLogVerifierKeyAsync(ct),
                [CredentialToCheck.From(credential)], ct: ct);
            return audit.Ok ? audit : throw new CliException("audit failed: " + string.Join("; ", audit.Findings));
        }, a => $"log size {a.State!.Size}, root {a.State.Root[..16]}…");

        // 3. Alice's provider looks Bob's number up privately.
        var mapping = await DemoCommand.Step($"alpha.demo looks up {BobNumber} by a private lookup (the discovery service never sees the number)", async () =>
        {
            for (var attempt = 0; ; attempt++)
            {
                var answer = await new PrivateLookupClient(network.Http("discovery"), alphaAtDiscovery).LookupAsync([BobNumber], ct);
                if (answer.Results[0].Status == "found")
                {
                    return answer.Results[0].Mappings.Single();
                }

                if (attempt == 100)
                {
                    throw new CliException("Bob's private record did not appear.");
                }

                // Private records are built in the background right after issuance.
                await Task.Delay(100, ct);
            }
        }, m => $"{m.Ssi} at {m.Provider}, assertion verified; keyMaterial {m.KeyMaterial}");

        // 4. Alpha resolves beta.demo.
        await DemoCommand.Step($"alpha.demo resolves {mapping.Provider}: SRV _mimi._tcp.{mapping.Provider}, then its MIMI directory", async () =>
        {
            var options = new ProviderResolverOptions { AllowHttp = true, DirectoryScheme = "http" };
            options.NameServers.Add(new IPEndPoint(IPAddress.Loopback, network.DnsPort));
            options.AllowedAddressRanges.Add(IPNetwork.Parse("127.0.0.0/8"));
            using var resolver = new ProviderResolver(options);
            var report = await resolver.InspectAsync(mapping.Provider, true, ct);
            return report.Directory is { Succeeded: true } ? report : throw new CliException(string.Join("; ", report.Explanation));
        }, r => $"{r.Resolution.Candidates[0]} ({r.Resolution.Source}); requestConsent {r.Directory!.Directory!.Endpoints[MimiEndpoint.RequestConsent]}");

        // 5. Consent: Bob requires it, so a claim is refused until he grants it.
        const string Room = "mimi://alpha.demo/r/first-contact";
        // Alice's client signs its claims with its MLS signature key; beta.demo checks the signature and that the key's credential is of alpha.demo.
        Task<byte[]> ClaimRequestAsync() => DeliveryMessages.KeyMaterialRequestAsync(Alice, AlicePhone, Bob, Room, MlsCipherSuite.X25519Aes128GcmSha256Ed25519,
            aliceSignatureKey, (label, content, _) => mls.SignWithLabelAsync("alice", label, content), ct);
        await DemoCommand.Step("Alice's provider tries to claim Bob's KeyPackage before any consent", async () =>
            DeliveryMessages.DecodeKeyMaterial(await alice.ClaimKeyMaterialAsync(await ClaimRequestAsync(), ct)),
            r => $"beta.demo answers {r.UserStatus} (the same answer an unknown user gets)");
        await DemoCommand.Step("Alice asks Bob for consent: alpha.demo sends requestConsent to beta.demo (outbox, signed, retried)", async () =>
        {
            await alice.RequestConsentAsync(Bob, ct: ct);
            return await UntilAsync(async () => (await bob.ListPendingConsentAsync(ct)).SingleOrDefault(), ct);
        }, p => $"Bob's client sees a pending request from {p.Requester}");
        await DemoCommand.Step("Bob accepts: beta.demo sends updateConsent (grant) back to alpha.demo", async () =>
        {
            await bob.AcceptConsentAsync(Alice, ct: ct);
            return await UntilAsync(async () => (await alice.ListConsentRequestsAsync(ct)).SingleOrDefault(r => r.State == "granted"), ct);
        }, r => $"Alice's client sees {r.Target}: {r.State}");

        // 6. The claim, the group, the Welcome.
        var keyPackage = await DemoCommand.Step("Alice's provider claims Bob's KeyPackage (keyMaterial, single use, validated per RFC 9420 §10.1)", async () =>
        {
            var claim = DeliveryMessages.DecodeKeyMaterial(await alice.ClaimKeyMaterialAsync(await ClaimRequestAsync(), ct));
            return claim.UserStatus == KeyMaterialUserCode.Success ? claim.Clients.Single() : throw new CliException($"claim answered {claim.UserStatus}");
        }, c => $"{c.ClientUri}: one KeyPackage");
        var welcome = await DemoCommand.Step("Alice creates the room at alpha.demo's hub and adds Bob; the Welcome goes to beta.demo (notify)", async () =>
        {
            var created = await mls.CreateGroupAsync("alice", Room);
            await alice.CreateRoomAsync("first-contact", created.GroupInfo, created.RatchetTree, ct);
            var commit = await mls.AddMemberAsync("alice", Room, DeliveryMessages.KeyPackageMessage(keyPackage.KeyPackage!));
            var answer = DeliveryMessages.DecodeUpdate(await alice.UpdateRoomAsync(Room,
                DeliveryMessages.CommitUpdate(commit.Commit, commit.Welcome, commit.GroupInfo, commit.RatchetTree), ct));
            if (answer.ResponseCode != UpdateResponseCode.Success)
            {
                throw new CliException($"the hub answered {answer.ResponseCode}");
            }

            var item = (await NextAsync(bob, 0, ct)).Single();
            var (_, epoch) = await mls.JoinAsync("bob", item.MessageBytes, item.RatchetTreeBytes);
            return (item, epoch);
        }, w => $"Bob's client got the Welcome from its inbox and joined at epoch {w.epoch}");

        // 7. Messages both ways.
        var hello = await DemoCommand.Step("Alice sends \"hello Bob\" (submitMessage at the hub, fan-out to beta.demo)", async () =>
        {
            await alice.SubmitMessageAsync(Room, await mls.EncryptAsync("alice", Room, "hello Bob"u8.ToArray()), ct);
            var item = (await NextAsync(bob, welcome.item.Seq, ct)).Single();
            return (item, text: System.Text.Encoding.UTF8.GetString((await mls.ProcessAsync("bob", item.MessageBytes)).Plaintext!));
        }, h => $"Bob decrypts: \"{h.text}\"");
        await DemoCommand.Step("Bob replies \"hi Alice\" (beta.demo forwards to alpha.demo's hub)", async () =>
        {
            await bob.SubmitMessageAsync(Room, await mls.EncryptAsync("bob", Room, "hi Alice"u8.ToArray()), ct);
            var item = (await NextAsync(alice, 0, ct)).Single();
            return System.Text.Encoding.UTF8.GetString((await mls.ProcessAsync("alice", item.MessageBytes)).Plaintext!);
        }, text => $"Alice decrypts: \"{text}\"");

        // 8. A follower outage.
        await DemoCommand.Step("beta.demo stops; Alice sends; beta.demo comes back", async () =>
        {
            await network.StopAsync(Beta);
            await alice.SubmitMessageAsync(Room, await mls.EncryptAsync("alice", Room, "while you were away"u8.ToArray()), ct);
            await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
            await network.StartAsync(Beta, ct);
            var items = await NextAsync(bob, hello.item.Seq, ct);
            var again = await bob.ReadInboxAsync(items[^1].Seq, TimeSpan.FromSeconds(1.5), ct);
            return (count: items.Length + again.Items.Length, text: System.Text.Encoding.UTF8.GetString((await mls.ProcessAsync("bob", items[0].MessageBytes)).Plaintext!));
        }, r => $"the outbox retried; Bob got it {r.count} time(s): \"{r.text}\"");
    }

    /// <summary>The next inbox items after <paramref name="after"/> (long poll, up to 20 s).</summary>
    private static async Task<InboxItem[]> NextAsync(MimiDiscoveryClient client, long after, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var page = await client.ReadInboxAsync(after, TimeSpan.FromSeconds(5), ct);
            if (page.Items.Length > 0)
            {
                return page.Items;
            }
        }

        throw new CliException("Nothing arrived in the inbox within 20 s.");
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, CancellationToken ct)
        where T : class
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100, ct);
        }

        throw new CliException("Timed out waiting for the other provider.");
    }

    private async Task<MimiDiscoveryClient> AddUserAsync(string domain, string user, string client, string consentMode, CancellationToken ct)
    {
        using var admin = network.Operator(domain);
        var api = network.Client(domain, admin);
        await api.CreateHostedUserAsync(user, consentMode, ct);
        var key = ClientCredentials.GenerateEs256($"mimi://{domain}/d/{client}");
        await api.AddHostedClientAsync(user, client, key.PublicJwk, ct);
        return network.Client(domain, key);
    }

    private async Task<string> NextCodeAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (network.SentCodes.TryDequeue(out var code))
            {
                return code;
            }

            await Task.Delay(50, ct);
        }

        throw new CliException("No one-time code was sent.");
    }
}
