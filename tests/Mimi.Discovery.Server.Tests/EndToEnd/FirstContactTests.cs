using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Lookup.Private;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Cli.Demo;

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

    private readonly RedisServer _redis = new();
    private readonly CodeGateway _sms = new();
    private ProviderNetwork _network = null!;
    private MlsPeer _mls = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test"], _ => postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Redis:Configuration"] = _redis.Configuration },
            _sms.Settings());
        _mls = await MlsPeer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _mls.DisposeAsync();
        await _network.DisposeAsync();
        _sms.Dispose();
        await _redis.StopAsync();
    }

    [Fact]
    public async Task Bob_is_bound_logged_and_found_by_a_private_lookup()
    {
        var (serial, logIndex) = await VerifyBobAsync();

        // An auditor that did not write the log checks the signed checkpoint, every entry, and Bob's inclusion.
        var discovery = _network.Discovery.Anonymous();
        var credential = await _network["beta.test"].AtDiscovery().GetCredentialAsync(serial);
        var audit = await new LogAuditor(discovery).AuditAsync(null, await discovery.GetLogVerifierKeyAsync(),
            [new CredentialToCheck(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(credential.Certificate).RawData, logIndex)]);
        Assert.True(audit.Ok, string.Join("\n", audit.Findings));

        var mapping = await FindBobPrivatelyAsync();
        Assert.Equal(serial, mapping.Serial);
        Assert.Equal($"http://beta.test:{_network["beta.test"].Port}/mimi/v1/keyMaterial/{Uri.EscapeDataString(Bob)}", mapping.KeyMaterial);
    }

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
