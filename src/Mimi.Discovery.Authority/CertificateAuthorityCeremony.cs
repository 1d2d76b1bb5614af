using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Mimi.Discovery.Authority;

/// <summary>
/// The steps of the root ceremony, as run by <c>mimi ca root</c> and <c>mimi ca intermediate</c>
/// (see <c>ca/README.md</c>). The root key is meant to live on an offline machine; only the
/// intermediate key ever reaches the service.
/// </summary>
public static class CertificateAuthorityCeremony
{
    /// <summary>CA certificates start this long before the ceremony, so verifiers with a slow clock accept them at once.</summary>
    private static readonly TimeSpan Backdating = TimeSpan.FromHours(1);

    /// <summary>
    /// Creates a self-signed root (ECDSA P-256): basicConstraints critical CA:TRUE pathLen 1,
    /// keyUsage critical keyCertSign|cRLSign, SKI, AKI, the credential policy. Writes
    /// <see cref="CaFiles.RootCertificate"/> and <see cref="CaFiles.RootKey"/> (0600) into
    /// <paramref name="outputDirectory"/>, created 0700; refuses to overwrite either.
    /// </summary>
    /// <param name="outputDirectory">Directory for the root files.</param>
    /// <param name="subject">Distinguished name, RFC 4514 text, e.g. <c>CN=Example Root, O=Example</c>.</param>
    /// <param name="years">Validity in years (1 to 50).</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    public static CaCertificateInfo CreateRoot(string outputDirectory, string subject, int years, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(years, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(years, 50);
        var name = CertificateBuilder.ParseName(subject);
        var certificatePath = Path.Combine(outputDirectory, CaFiles.RootCertificate);
        var keyPath = Path.Combine(outputDirectory, CaFiles.RootKey);
        EnsureAbsent(certificatePath, keyPath);
        KeyFiles.EnsureKeyDirectory(outputDirectory);

        var now = CertificateAuthority.TruncateToSeconds((timeProvider ?? TimeProvider.System).GetUtcNow());
        var notBefore = now - Backdating;
        var notAfter = now.AddYears(years);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo());
        var keyId = CertificateBuilder.KeyIdentifier(publicKey);
        var serial = SerialNumbers.NewRandom();
        var der = CertificateBuilder.Build(
            new EcdsaSignatureFactory(key),
            SerialNumbers.ToDerInteger(serial),
            name,
            name,
            notBefore.UtcDateTime,
            notAfter.UtcDateTime,
            publicKey,
            [
                X509Extensions.BasicConstraints,
                X509Extensions.KeyUsage,
                X509Extensions.SubjectKeyIdentifier,
                X509Extensions.AuthorityKeyIdentifier,
                X509Extensions.CertificatePolicies,
            ],
            [
                CertificateBuilder.Extension(true, new BasicConstraints(1)),
                CertificateBuilder.Extension(true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign)),
                CertificateBuilder.Extension(false, new SubjectKeyIdentifier(keyId)),
                CertificateBuilder.Extension(false, new AuthorityKeyIdentifier(keyId)),
                CertificateBuilder.Extension(false, CertificateBuilder.CredentialPolicy()),
            ]);

        KeyFiles.WritePrivateKey(keyPath, key);
        KeyFiles.WritePem(certificatePath, "CERTIFICATE", [der]);
        return Describe(der, serial, notBefore, notAfter, certificatePath, keyPath);
    }

    /// <summary>
    /// Creates an intermediate (issuing) CA signed by the root in <paramref name="rootDirectory"/>:
    /// basicConstraints critical CA:TRUE pathLen 0, keyUsage critical keyCertSign|cRLSign, SKI, AKI,
    /// the credential policy and a CRL distribution point. Writes <see cref="CaFiles.IntermediateKey"/>
    /// (0600), <see cref="CaFiles.IntermediateCertificate"/>, <see cref="CaFiles.Chain"/> and a copy of
    /// <see cref="CaFiles.RootCertificate"/> into <paramref name="outputDirectory"/>, created 0700.
    /// </summary>
    /// <param name="rootDirectory">Directory holding root.pem and root.key (0600).</param>
    /// <param name="outputDirectory">Directory for the intermediate's files; may equal <paramref name="rootDirectory"/>.</param>
    /// <param name="subject">Distinguished name, RFC 4514 text.</param>
    /// <param name="days">Validity in days (1 to 3650).</param>
    /// <param name="crlUrl">The intermediate's CRL distribution point: where the root-signed CRL covering intermediates is published.</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    /// <exception cref="InsecureKeyFileException">root.key is accessible by group or others.</exception>
    public static CaCertificateInfo CreateIntermediate(
        string rootDirectory, string outputDirectory, string subject, int days, Uri crlUrl, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 3650);
        ArgumentNullException.ThrowIfNull(crlUrl);
        var name = CertificateBuilder.ParseName(subject);
        var certificatePath = Path.Combine(outputDirectory, CaFiles.IntermediateCertificate);
        var keyPath = Path.Combine(outputDirectory, CaFiles.IntermediateKey);
        var chainPath = Path.Combine(outputDirectory, CaFiles.Chain);
        EnsureAbsent(certificatePath, keyPath, chainPath);

        var (rootDer, root, rootKey) = LoadRoot(rootDirectory);
        using (rootKey)
        {
            KeyFiles.EnsureKeyDirectory(outputDirectory);
            var now = CertificateAuthority.TruncateToSeconds((timeProvider ?? TimeProvider.System).GetUtcNow());
            var notBefore = now - Backdating;
            var notAfter = now.AddDays(days);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var publicKey = SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo());
            var serial = SerialNumbers.NewRandom();
            var der = CertificateBuilder.Build(
                new EcdsaSignatureFactory(rootKey),
                SerialNumbers.ToDerInteger(serial),
                root.Subject,
                name,
                notBefore.UtcDateTime,
                notAfter.UtcDateTime,
                publicKey,
                [
                    X509Extensions.BasicConstraints,
                    X509Extensions.KeyUsage,
                    X509Extensions.SubjectKeyIdentifier,
                    X509Extensions.AuthorityKeyIdentifier,
                    X509Extensions.CertificatePolicies,
                    X509Extensions.CrlDistributionPoints,
                ],
                [
                    CertificateBuilder.Extension(true, new BasicConstraints(0)),
                    CertificateBuilder.Extension(true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign)),
                    CertificateBuilder.Extension(false, new SubjectKeyIdentifier(CertificateBuilder.KeyIdentifier(publicKey))),
                    CertificateBuilder.Extension(false, new AuthorityKeyIdentifier(SubjectKeyIdOf(root))),
                    CertificateBuilder.Extension(false, CertificateBuilder.CredentialPolicy()),
                    CertificateBuilder.Extension(false, CertificateBuilder.CrlDistributionPoint(crlUrl)),
                ]);

            KeyFiles.WritePrivateKey(keyPath, key);
            KeyFiles.WritePem(certificatePath, "CERTIFICATE", [der]);
            KeyFiles.WritePem(chainPath, "CERTIFICATE", [der, rootDer]);
            var rootCopy = Path.Combine(outputDirectory, CaFiles.RootCertificate);
            if (!File.Exists(rootCopy))
            {
                KeyFiles.WritePem(rootCopy, "CERTIFICATE", [rootDer]);
            }

            return Describe(der, serial, notBefore, notAfter, certificatePath, keyPath);
        }
    }

    /// <summary>
    /// Signs the root's CRL (revoked intermediates, usually none) and writes it to
    /// <see cref="CaFiles.RootCrl"/> in <paramref name="rootDirectory"/>, replacing an older one.
    /// Publish it at the URL given to <see cref="CreateIntermediate"/>.
    /// </summary>
    /// <param name="rootDirectory">Directory holding root.pem and root.key (0600).</param>
    /// <param name="revokedIntermediates">Intermediates to list as revoked.</param>
    /// <param name="days">Days until nextUpdate.</param>
    /// <param name="crlNumber">CRL number, higher than the previous root CRL's.</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    public static IssuedCrl CreateRootCrl(
        string rootDirectory, IEnumerable<RevokedCredential> revokedIntermediates, int days, long crlNumber, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var (_, root, rootKey) = LoadRoot(rootDirectory);
        using (rootKey)
        {
            var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
            var crl = CrlFactory.Create(
                new EcdsaSignatureFactory(rootKey),
                root.Subject,
                new AuthorityKeyIdentifier(SubjectKeyIdOf(root)),
                revokedIntermediates,
                now,
                now.AddDays(days),
                crlNumber);
            KeyFiles.WriteText(Path.Combine(rootDirectory, CaFiles.RootCrl), crl.Pem, isPrivate: false, overwrite: true);
            return crl;
        }
    }

    private static (byte[] Der, X509CertificateStructure Certificate, ECDsa Key) LoadRoot(string rootDirectory)
    {
        var der = KeyFiles.ReadPem(Path.Combine(rootDirectory, CaFiles.RootCertificate), "CERTIFICATE")[0];
        var certificate = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der));
        var key = KeyFiles.LoadEcPrivateKey(Path.Combine(rootDirectory, CaFiles.RootKey));
        if (!certificate.SubjectPublicKeyInfo.GetEncoded(Asn1Encodable.Der).AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            throw new InvalidDataException($"'{CaFiles.RootKey}' in '{rootDirectory}' does not belong to '{CaFiles.RootCertificate}'.");
        }

        return (der, certificate, key);
    }

    private static byte[] SubjectKeyIdOf(X509CertificateStructure certificate) =>
        certificate.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectKeyIdentifier) is { } extension
            ? SubjectKeyIdentifier.GetInstance(extension.GetParsedValue()).GetKeyIdentifier()
            : CertificateBuilder.KeyIdentifier(certificate.SubjectPublicKeyInfo);

    private static void EnsureAbsent(params string[] paths)
    {
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                throw new IOException($"'{path}' already exists; a ceremony never overwrites CA material.");
            }
        }
    }

    private static CaCertificateInfo Describe(
        byte[] der, byte[] serial, DateTimeOffset notBefore, DateTimeOffset notAfter, string certificatePath, string keyPath)
    {
        var certificate = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der));
        var subject = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(certificate.Subject.GetEncoded(Asn1Encodable.Der)).Name;
        var fingerprint = Convert.ToHexString(SHA256.HashData(der));
        var pairs = string.Join(':', Enumerable.Range(0, fingerprint.Length / 2).Select(i => fingerprint.Substring(i * 2, 2)));
        return new CaCertificateInfo(subject, SerialNumbers.ToHex(serial), notBefore, notAfter, pairs, certificatePath, keyPath);
    }
}
