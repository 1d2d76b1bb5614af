using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>alpha.test and beta.test with a discovery service and DNS, and one MLS peer process, shared by a test class.</summary>
public sealed class DeliveryFixture : IAsyncLifetime
{
    public ProviderNetwork Network { get; private set; } = null!;

    public MlsPeer Mls { get; private set; } = null!;

    public ProviderInstance Alpha => Network["alpha.test"];

    public ProviderInstance Beta => Network["beta.test"];

    public Task InitializeAsync() => StartNetworkAsync(null, null);

    /// <summary>
    /// A fixture a test owns (dispose it): both providers on PostgreSQL databases made by <paramref name="databases"/>
    /// (SQLite when null), with <paramref name="settings"/> on both instances.
    /// </summary>
    public static async Task<DeliveryFixture> StartAsync(Func<string, Task<string>>? databases, IDictionary<string, string?>? settings = null)
    {
        var fixture = new DeliveryFixture();
        await fixture.StartNetworkAsync(databases, settings);
        return fixture;
    }

    private async Task StartNetworkAsync(Func<string, Task<string>>? databases, IDictionary<string, string?>? settings)
    {
        Network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test"], databases, settings);
        Mls = await MlsPeer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Mls.DisposeAsync();
        await Network.DisposeAsync();
    }

    /// <summary>A hosted user with one client, and an MLS client of the same name whose credential names the client URI.</summary>
    public async Task<Member> MemberAsync(ProviderInstance provider, string user, string consentMode = "open")
    {
        var (client, credentials) = await provider.AddUserAsync(user, user + "-phone", consentMode);
        var clientUri = $"mimi://{provider.Domain}/d/{user}-phone";
        var signatureKey = await Mls.CreateClientAsync(user, clientUri);
        return new Member(provider, user, $"mimi://{provider.Domain}/u/{user}", clientUri, client, credentials, signatureKey, (label, content, _) => Mls.SignWithLabelAsync(user, label, content));
    }

    /// <summary>A KeyMaterialRequest from <paramref name="requester"/> for <paramref name="targetUser"/>, signed by the requester's ts-mls client.</summary>
    public static Task<byte[]> KeyMaterialRequestAsync(Member requester, string targetUser, string room = "") =>
        DeliveryMessages.KeyMaterialRequestAsync(requester.UserUri, requester.ClientUri, targetUser, room, MlsCipherSuite.X25519Aes128GcmSha256Ed25519,
            requester.SignatureKey, requester.Signer);

    public static KeyMaterialResponse Decode(byte[] response) => DeliveryMessages.DecodeKeyMaterial(response);

    /// <summary>A claimed KeyPackage as the MLSMessage an MLS client adds.</summary>
    public static byte[] AsMessage(MlsKeyPackage keyPackage) => DeliveryMessages.KeyPackageMessage(keyPackage);

    /// <summary>A commit bundle as the hub takes it: commit, Welcome, full GroupInfo, full ratchet tree.</summary>
    public static byte[] CommitUpdate(MlsPeerCommit commit) => DeliveryMessages.CommitUpdate(commit.Commit, commit.Welcome, commit.GroupInfo, commit.RatchetTree);

    public static UpdateRoomResponse DecodeUpdate(byte[] response) => DeliveryMessages.DecodeUpdate(response);

    /// <summary>Reads inbox items until <paramref name="count"/> arrived (long polls), then a short extra poll proves nothing else came.</summary>
    public static async Task<List<InboxItem>> InboxAsync(MimiDiscoveryClient client, int count, long after = 0)
    {
        var items = new List<InboxItem>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (items.Count < count && DateTime.UtcNow < deadline)
        {
            var page = await client.ReadInboxAsync(after, TimeSpan.FromSeconds(5));
            items.AddRange(page.Items);
            after = page.Last;
        }

        return items;
    }
}

/// <summary>A hosted user's one client: its API client and credentials, and its ts-mls client's signature public key and signing.</summary>
public sealed record Member(
    ProviderInstance Provider, string Name, string UserUri, string ClientUri, MimiDiscoveryClient Client, ClientCredentials Credentials, byte[] SignatureKey,
    MlsLabelSigner Signer);
