using System.Collections.Concurrent;
using System.Text;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Server.Peers;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The hub's signature keys (the <c>hub_sender</c> of a GroupInfoResponse), one per signature scheme, derived from the
/// provider's enrolled key so every replica of the provider signs with the same key and nothing else needs storing.
/// The credential is a basic credential naming the provider (<c>mimi://domain</c>).
/// </summary>
internal sealed class HubKeys(ProviderIdentity identity)
{
    private readonly ConcurrentDictionary<MlsCipherSuite, MlsSigningKey> _keys = new();

    public MlsExternalSender Sender(MlsCipherSuite suite) =>
        new(ByteString.CopyFrom(Key(suite).PublicKey), MlsCredential.Basic(ByteString.CopyFrom(Encoding.UTF8.GetBytes("mimi://" + identity.Domain))));

    public MlsSigningKey Key(MlsCipherSuite suite) => _keys.GetOrAdd(suite, s =>
        MlsSigningKey.FromSeed(s, identity.Credentials.DeriveSecret($"mimi-discovery hub signature key, suite {(ushort)s}", MlsSigningKey.SeedSize(s))));
}
