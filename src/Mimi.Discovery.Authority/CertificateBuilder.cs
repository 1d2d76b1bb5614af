using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace Mimi.Discovery.Authority;

/// <summary>
/// Assembles and signs certificates from BouncyCastle ASN.1 structures. Extensions are passed as
/// ready <see cref="X509Extension"/> values so issuers can build the constant ones once.
/// </summary>
internal static class CertificateBuilder
{
    public static byte[] Build(
        ISignatureFactory signer,
        DerInteger serial,
        X509Name issuer,
        X509Name? subject,
        DateTime notBefore,
        DateTime notAfter,
        SubjectPublicKeyInfo subjectPublicKey,
        DerObjectIdentifier[] extensionOids,
        X509Extension[] extensions)
    {
        var signatureAlgorithm = (AlgorithmIdentifier)signer.AlgorithmDetails;
        var generator = new V3TbsCertificateGenerator();
        generator.SetSerialNumber(serial);
        generator.SetSignature(signatureAlgorithm);
        generator.SetIssuer(issuer);
        generator.SetStartDate(new Time(notBefore));
        generator.SetEndDate(new Time(notAfter));
        if (subject is not null)
        {
            // Left unset, the generator writes an empty subject, which it allows only when the
            // extensions carry a critical subjectAltName (RFC 5280 section 4.1.2.6).
            generator.SetSubject(subject);
        }

        generator.SetSubjectPublicKeyInfo(subjectPublicKey);
        generator.SetExtensions(new X509Extensions(extensionOids, extensions));
        var tbs = generator.GenerateTbsCertificate();

        // Encode the TBS once: the same bytes are signed and embedded, rather than letting
        // BouncyCastle encode the structure a second time for the outer SEQUENCE.
        var tbsDer = tbs.GetEncoded(Asn1Encodable.Der);
        var calculator = signer.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(tbsDer);
        }

        var signature = calculator.GetResult().Collect();
        var certificate = new AsnWriter(AsnEncodingRules.DER, tbsDer.Length + 96);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsDer);
            certificate.WriteEncodedValue(signatureAlgorithm.GetEncoded(Asn1Encodable.Der));
            certificate.WriteBitString(signature);
        }

        return certificate.Encode();
    }

    public static X509Extension Extension(bool critical, Asn1Encodable value) =>
        new(critical, new DerOctetString(value.GetEncoded(Asn1Encodable.Der)));

    /// <summary>Key identifier per RFC 5280 section 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.</summary>
    public static byte[] KeyIdentifier(SubjectPublicKeyInfo subjectPublicKey) =>
        SHA1.HashData(subjectPublicKey.PublicKey.GetBytes());

    /// <inheritdoc cref="KeyIdentifier(SubjectPublicKeyInfo)"/>
    public static byte[] KeyIdentifier(ReadOnlySpan<byte> subjectPublicKeyBits) => SHA1.HashData(subjectPublicKeyBits);

    /// <summary>Parses a distinguished name written as RFC 4514 text (most significant RDN last, as .NET and OpenSSL print it with -nameopt RFC2253).</summary>
    public static X509Name ParseName(string distinguishedName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(distinguishedName);
        byte[] der;
        try
        {
            der = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(distinguishedName).RawData;
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"'{distinguishedName}' is not a distinguished name such as \"CN=Example Root, O=Example\".", nameof(distinguishedName), ex);
        }

        return X509Name.GetInstance(Asn1Object.FromByteArray(der));
    }

    public static CrlDistPoint CrlDistributionPoint(Uri url) =>
        new([
            new DistributionPoint(
                new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, url.AbsoluteUri))),
                null,
                null),
        ]);

    public static CertificatePolicies CredentialPolicy() =>
        new(new PolicyInformation(new DerObjectIdentifier(AuthorityOids.CredentialPolicy)));
}
