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

        var calculator = signer.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            tbs.EncodeTo(stream, Asn1Encodable.Der);
        }

        var signature = calculator.GetResult().Collect();
        return new X509CertificateStructure(tbs, signatureAlgorithm, new DerBitString(signature)).GetEncoded(Asn1Encodable.Der);
    }

    public static X509Extension Extension(bool critical, Asn1Encodable value) =>
        new(critical, new DerOctetString(value.GetEncoded(Asn1Encodable.Der)));

    /// <summary>Key identifier per RFC 5280 section 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.</summary>
    public static byte[] KeyIdentifier(SubjectPublicKeyInfo subjectPublicKey) =>
        SHA1.HashData(subjectPublicKey.PublicKey.GetBytes());

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
