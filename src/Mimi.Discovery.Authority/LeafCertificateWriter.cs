using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Mimi.Discovery.Authority;

/// <summary>
/// Writes and signs credential (leaf) certificates straight to DER. Everything that is the same for every credential
/// of one issuer — the issuer name, the signature algorithm and the constant extensions — is encoded once; per
/// credential only the serial, validity, subject key, subjectAltName, subjectKeyIdentifier, TNAuthList and identifier
/// index proof are written. Issuance throughput (bulk import above all) depends on it: building the structure as objects cost
/// more than the signature.
/// </summary>
internal sealed class LeafCertificateWriter
{
    // ecdsa-with-SHA256, no parameters (RFC 5758 section 3.2).
    private static readonly byte[] EcdsaWithSha256 = Convert.FromHexString("300A06082A8648CE3D040302");

    // The empty subject: all names are in the critical subjectAltName (RFC 5280 section 4.1.2.6).
    private static readonly byte[] EmptyName = [0x30, 0x00];

    private static readonly Asn1Tag UriName = new(TagClass.ContextSpecific, 6);

    private readonly ECDsa _key;
    private readonly byte[] _issuerName;
    private readonly byte[] _keyUsage;
    private readonly byte[] _extendedKeyUsage;
    private readonly byte[][] _trailingExtensions;

    /// <param name="key">The issuer's P-256 key.</param>
    /// <param name="issuerName">The issuer's subject name, DER.</param>
    /// <param name="keyUsage">The keyUsage extension, DER (first in the extension list).</param>
    /// <param name="extendedKeyUsage">The extKeyUsage extension, DER.</param>
    /// <param name="trailingExtensions">authorityKeyIdentifier, certificatePolicies and cRLDistributionPoints extensions, DER, in that order.</param>
    public LeafCertificateWriter(ECDsa key, byte[] issuerName, byte[] keyUsage, byte[] extendedKeyUsage, IEnumerable<byte[]> trailingExtensions)
    {
        _key = key;
        _issuerName = issuerName;
        _keyUsage = keyUsage;
        _extendedKeyUsage = extendedKeyUsage;
        _trailingExtensions = [.. trailingExtensions];
    }

    /// <summary>One extension as DER: SEQUENCE { extnID, critical (only when true), extnValue }.</summary>
    public static byte[] Extension(string oid, bool critical, ReadOnlySpan<byte> value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER, value.Length + 16);
        WriteExtension(writer, oid, critical, value);
        return writer.Encode();
    }

    /// <summary>
    /// The signed certificate. <paramref name="subjectPublicKeyInfo"/> must already be validated DER (it is copied as
    /// is); <paramref name="subjectKeyBits"/> are its key bits; <paramref name="telephoneDigits"/> add a TNAuthList;
    /// <paramref name="indexProof"/> (the encoded <see cref="IdentifierIndexProof"/>) adds the identifier index proof.
    /// </summary>
    public byte[] Write(ReadOnlySpan<byte> serialMagnitude, DateTimeOffset notBefore, DateTimeOffset notAfter, ReadOnlySpan<byte> subjectPublicKeyInfo,
        ReadOnlySpan<byte> subjectKeyBits, string ssi, string sii, string? telephoneDigits, byte[]? indexProof = null)
    {
        var tbs = new AsnWriter(AsnEncodingRules.DER, 768);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                tbs.WriteInteger(2); // v3
            }

            tbs.WriteIntegerUnsigned(serialMagnitude);
            tbs.WriteEncodedValue(EcdsaWithSha256);
            tbs.WriteEncodedValue(_issuerName);
            using (tbs.PushSequence())
            {
                WriteTime(tbs, notBefore);
                WriteTime(tbs, notAfter);
            }

            tbs.WriteEncodedValue(EmptyName);
            tbs.WriteEncodedValue(subjectPublicKeyInfo);
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)))
            using (tbs.PushSequence())
            {
                tbs.WriteEncodedValue(_keyUsage);
                tbs.WriteEncodedValue(_extendedKeyUsage);
                WriteExtension(tbs, "2.5.29.17", critical: true, AlternativeNames(ssi, sii));
                Span<byte> keyId = stackalloc byte[SHA1.HashSizeInBytes];
                SHA1.HashData(subjectKeyBits, keyId);
                var ski = new AsnWriter(AsnEncodingRules.DER, 32);
                ski.WriteOctetString(keyId);
                WriteExtension(tbs, "2.5.29.14", critical: false, ski.Encode());
                foreach (var extension in _trailingExtensions)
                {
                    tbs.WriteEncodedValue(extension);
                }

                if (telephoneDigits is not null)
                {
                    // Non-critical: OpenSSL 3.0 does not know the extension and rejects the whole chain (error 34) when it is critical.
                    WriteExtension(tbs, TnAuthList.Oid.Id, critical: false, TnAuthList.Encode(telephoneDigits));
                }

                if (indexProof is not null)
                {
                    // Non-critical for the same reason: relying parties that do not know it still accept the credential.
                    WriteExtension(tbs, AuthorityOids.IdentifierIndexProof, critical: false, indexProof);
                }
            }
        }

        var tbsDer = tbs.Encode();
        var signature = _key.SignData(tbsDer, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var certificate = new AsnWriter(AsnEncodingRules.DER, tbsDer.Length + 96);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsDer);
            certificate.WriteEncodedValue(EcdsaWithSha256);
            certificate.WriteBitString(signature);
        }

        return certificate.Encode();
    }

    private static byte[] AlternativeNames(string ssi, string sii)
    {
        var names = new AsnWriter(AsnEncodingRules.DER, ssi.Length + sii.Length + 16);
        using (names.PushSequence())
        {
            names.WriteCharacterString(UniversalTagNumber.IA5String, ssi, UriName);
            names.WriteCharacterString(UniversalTagNumber.IA5String, sii, UriName);
        }

        return names.Encode();
    }

    private static void WriteExtension(AsnWriter writer, string oid, bool critical, ReadOnlySpan<byte> value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true);
            }

            writer.WriteOctetString(value);
        }
    }

    /// <summary>UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 section 4.1.2.5); whole seconds.</summary>
    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        if (time.UtcDateTime.Year < 2050)
        {
            writer.WriteUtcTime(time, twoDigitYearMax: 2049);
        }
        else
        {
            writer.WriteGeneralizedTime(time, omitFractionalSeconds: true);
        }
    }
}
