using System.Net;
using Mimi.Discovery.Client;
using Mimi.Discovery.Resolution;

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
        await mls.CreateClientAsync("alice", AlicePhone);
        await DemoCommand.Step("beta.demo hosts Bob (consent required), alpha.demo hosts Alice; each has one MLS client (ts-mls)", async () =>
        {
            await AddUserAsync(Beta, "bob", "bob-phone", "consent-required", ct);
            await AddUserAsync(Alpha, "alice", "alice-phone", "open", ct);
            await betaAtDiscovery.SetKeyMaterialUrlAsync($"http://{Beta}:{network.Port(Beta)}/mimi/v1/keyMaterial/{{targetUser}}", ct);
            return 0;
        }, _ => $"{Bob} with client {BobPhone}; {Alice} with client {AlicePhone}");

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
                [new CredentialToCheck(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(credential.Certificate).RawData, credential.LogIndex)], ct: ct);
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
    }

    private async Task AddUserAsync(string domain, string user, string client, string consentMode, CancellationToken ct)
    {
        using var admin = network.Operator(domain);
        var api = network.Client(domain, admin);
        using var http = network.Http(domain);
        http.DefaultRequestHeaders.Authorization = new("Bearer", await api.GetAccessTokenAsync(ct));
        (await http.PostAsync("/v1/delivery/users", System.Net.Http.Json.JsonContent.Create(new { name = user, consentMode }), ct)).EnsureSuccessStatusCode();
        using var key = ClientCredentials.GenerateEs256($"mimi://{domain}/d/{client}");
        key.Save(Path.Combine(network.Directory, client + ".key"));
        (await http.PostAsync($"/v1/delivery/users/{user}/clients", System.Net.Http.Json.JsonContent.Create(new
        {
            name = client,
            jwk = System.Text.Json.JsonDocument.Parse(key.PublicJwk).RootElement,
        }), ct)).EnsureSuccessStatusCode();
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
