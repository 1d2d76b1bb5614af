using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Mimi.Discovery.Authority;

/// <summary>
/// The VRF proof of a credential's identifier index, as its non-critical X.509 extension
/// <see cref="AuthorityOids.IdentifierIndexProof"/> carries it (docs/accountability.md §3):
/// <c>SEQUENCE { vrfKeyId OCTET STRING (8 bytes), proof OCTET STRING (81 bytes) }</c>, over the SII in the
/// certificate's subjectAltName.
/// </summary>
/// <param name="KeyId">The VRF key id: 16 lower-case hex digits (the first 8 bytes of SHA-256 of the public key).</param>
/// <param name="Proof">The 81-byte ECVRF-P256-SHA256-TAI proof.</param>
public sealed record IdentifierIndexProof(string KeyId, byte[] Proof)
{
    /// <summary>Bytes of a key id in the extension.</summary>
    public const int KeyIdLength = 8;

    /// <summary>Bytes of a proof.</summary>
    public const int ProofLength = 81;

    /// <summary>The extension's value (the DER inside extnValue).</summary>
    /// <exception cref="ArgumentException">The key id is not 16 hex digits, or the proof is not 81 bytes.</exception>
    public byte[] Encode()
    {
        if (KeyId.Length != KeyIdLength * 2 || Proof.Length != ProofLength)
        {
            throw new ArgumentException($"A VRF key id is {KeyIdLength * 2} hex digits and a proof {ProofLength} bytes.");
        }

        var writer = new AsnWriter(AsnEncodingRules.DER, 100);
        using (writer.PushSequence())
        {
            writer.WriteOctetString(Convert.FromHexString(KeyId));
            writer.WriteOctetString(Proof);
        }

        return writer.Encode();
    }

    /// <summary>Reads the extension's value (untrusted): false unless it is exactly the DER structure above.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IdentifierIndexProof? proof)
    {
        proof = null;
        try
        {
            var reader = new AsnReader(value.ToArray(), AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            var keyId = sequence.ReadOctetString();
            var pi = sequence.ReadOctetString();
            if (reader.HasData || sequence.HasData || keyId.Length != KeyIdLength || pi.Length != ProofLength)
            {
                return false;
            }

            proof = new IdentifierIndexProof(Convert.ToHexStringLower(keyId), pi);
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>The proof a certificate carries in its extension, or null when it has none (a bulk import) or a malformed one.</summary>
    public static IdentifierIndexProof? Find(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[AuthorityOids.IdentifierIndexProof];
        return extension is not null && TryDecode(extension.RawData, out var proof) ? proof : null;
    }
}
