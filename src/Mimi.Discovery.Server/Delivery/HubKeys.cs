using System.Collections.Concurrent;
using System.Text;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Server.Peers;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The hub's keys, derived from the provider's enrolled key so every replica of the provider holds the same keys and
/// nothing else needs storing (or rotating: they change with the provider key): the signature keys (the
/// <c>hub_sender</c> of a GroupInfoResponse), one per signature scheme; the franking signature keys (the
/// <c>franking_agent</c> of draft-ietf-mimi-protocol-06 §5.4.1), likewise; and the franking <c>hub_key</c>, the HMAC
/// secret of server franks. The credential is a basic credential naming the provider (<c>mimi://domain</c>).
/// </summary>
internal sealed class HubKeys(ProviderIdentity identity)
{
    private readonly ConcurrentDictionary<MlsCipherSuite, MlsSigningKey> _keys = new();
    private readonly ConcurrentDictionary<MlsCipherSuite, MlsSigningKey> _frankingKeys = new();
    private readonly Lazy<byte[]> _frankingHubKey = new(() => identity.Credentials.DeriveSecret("mimi-discovery hub franking hub_key", Franking.TagLength));

    private MlsCredential Credential => MlsCredential.Basic(ByteString.CopyFrom(Encoding.UTF8.GetBytes("mimi://" + identity.Domain)));

    /// <summary>The HMAC key of server franks (<c>hub_key</c>).</summary>
    public ReadOnlySpan<byte> FrankingHubKey => _frankingHubKey.Value;

    /// <summary>The key that signs franks in rooms of <paramref name="suite"/>.</summary>
    public MlsSigningKey FrankingKey(MlsCipherSuite suite) => _frankingKeys.GetOrAdd(suite, s =>
        MlsSigningKey.FromSeed(s, identity.Credentials.DeriveSecret($"mimi-discovery hub franking signature key, suite {(ushort)s}", MlsSigningKey.SeedSize(s))));

    /// <summary>The <c>franking_agent</c> data a receiver verifies franks of rooms of <paramref name="suite"/> with.</summary>
    public FrankingAgentData FrankingAgent(MlsCipherSuite suite) => new(ByteString.CopyFrom(FrankingKey(suite).PublicKey), Credential);

    public MlsExternalSender Sender(MlsCipherSuite suite) =>
        new(ByteString.CopyFrom(Key(suite).PublicKey), Credential);

    public MlsSigningKey Key(MlsCipherSuite suite) => _keys.GetOrAdd(suite, s =>
        MlsSigningKey.FromSeed(s, identity.Credentials.DeriveSecret($"mimi-discovery hub signature key, suite {(ushort)s}", MlsSigningKey.SeedSize(s))));
}
