using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Oprf;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>Builds the encrypted record of a mapping under an OPRF key: y = F(k, SII) keys the tag, the bucket and the AEAD.</summary>
internal sealed class PrivateRecordBuilder(ClientDirectory directory, MappingAssertionSigner assertions, IndexProofs proofs, IOptions<PrivateLookupOptions> options)
{
    public PrivateRecord Build(OprfServer server, CredentialRecord mapping)
    {
        var (tag, recordKey) = PrivateRecordCrypto.Derive(server.Evaluate(PrivateRecordCrypto.Utf8(mapping.Sii)));
        // A bulk-imported mapping gets its assertion here, signed from the row with the proof of its index (see StoredAssertions).
        var payload = new PrivateRecordPayload(mapping.Ssi, mapping.Provider, [.. mapping.Tags], assertions.AssertionOf(proofs.Complete(mapping)),
            MappingVisibility.KeyMaterialUrl(directory.Find(mapping.Provider), mapping.Ssi), mapping.Serial, mapping.NotAfter);
        var ciphertext = PrivateRecordCrypto.Seal(recordKey, tag, payload);
        return new PrivateRecord(server.Key.KeyId, mapping.Serial, PrivateRecordCrypto.Bucket(tag, options.Value.PrefixBits), tag, ciphertext);
    }

}
