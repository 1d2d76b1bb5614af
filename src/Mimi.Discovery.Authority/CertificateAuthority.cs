using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace Mimi.Discovery.Authority;

/// <summary>
/// The issuing (intermediate) CA: issues identifier credentials and signs CRLs. Everything derived
/// from the intermediate certificate (issuer name, authority key identifier, the constant
/// extensions) is built once here, so an issuance only encodes what differs per credential.
/// Instances are safe to use from several threads.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly DerObjectIdentifier[] TelephoneExtensionOids =
    [
        X509Extensions.KeyUsage,
        X509Extensions.ExtendedKeyUsage,
        X509Extensions.SubjectAlternativeName,
        X509Extensions.SubjectKeyIdentifier,
        X509Extensions.AuthorityKeyIdentifier,
        X509Extensions.CertificatePolicies,
        X509Extensions.CrlDistributionPoints,
        TnAuthList.Oid,
    ];

    private static readonly DerObjectIdentifier[] ExtensionOids = TelephoneExtensionOids[..^1];

    // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (66 octets: no unused bits, 0x04 || X || Y) }
    private static readonly byte[] P256SpkiPrefix = Convert.FromHexString("3059301306072A8648CE3D020106082A8648CE3D030107034200");

    // SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING (33 octets: no unused bits, 32-octet key) } (RFC 8410)
    private static readonly byte[] Ed25519SpkiPrefix = Convert.FromHexString("302A300506032B6570032100");

    private static readonly AlgorithmIdentifier P256Algorithm = new(X9ObjectIdentifiers.IdECPublicKey, SecObjectIdentifiers.SecP256r1);
    private static readonly AlgorithmIdentifier Ed25519Algorithm = new(EdECObjectIdentifiers.id_Ed25519);

    private readonly ECDsa _key;
    private readonly EcdsaSignatureFactory _signer;
    private readonly X509Name _issuerName;
    private readonly AuthorityKeyIdentifier _authorityKeyIdentifier;
    private readonly X509Extension _keyUsage;
    private readonly X509Extension _extendedKeyUsage;
    private readonly X509Extension _authorityKeyIdentifierExtension;
    private readonly X509Extension _certificatePolicies;
    private readonly X509Extension _crlDistributionPoints;

    private CertificateAuthority(byte[] issuerCertificate, ECDsa key, IReadOnlyList<byte[]> chain, Uri crlUrl)
    {
        var issuer = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(issuerCertificate));
        if (!issuer.SubjectPublicKeyInfo.GetEncoded(Asn1Encodable.Der).AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw new ArgumentException("The issuer private key does not belong to the issuer certificate.", nameof(key));
        }

        _key = key;
        _signer = new EcdsaSignatureFactory(key);
        _issuerName = issuer.Subject;
        var subjectKeyId = issuer.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectKeyIdentifier) is { } ski
            ? SubjectKeyIdentifier.GetInstance(ski.GetParsedValue()).GetKeyIdentifier()
            : CertificateBuilder.KeyIdentifier(issuer.SubjectPublicKeyInfo);
        _authorityKeyIdentifier = new AuthorityKeyIdentifier(subjectKeyId);

        _keyUsage = CertificateBuilder.Extension(true, new KeyUsage(KeyUsage.DigitalSignature));
        _extendedKeyUsage = CertificateBuilder.Extension(false, new ExtendedKeyUsage(KeyPurposeID.id_kp_imUri));
        _authorityKeyIdentifierExtension = CertificateBuilder.Extension(false, _authorityKeyIdentifier);
        _certificatePolicies = CertificateBuilder.Extension(false, CertificateBuilder.CredentialPolicy());
        _crlDistributionPoints = CertificateBuilder.Extension(false, CertificateBuilder.CrlDistributionPoint(crlUrl));

        CrlUrl = crlUrl;
        IssuerCertificate = issuerCertificate;
        RootCertificate = chain[^1];
        ChainPem = string.Concat(chain.Select(c => Pem.Encode("CERTIFICATE", c)));
    }

    /// <summary>URL written into every credential's CRL distribution point: where this CA's CRL is served.</summary>
    public Uri CrlUrl { get; }

    /// <summary>The intermediate (issuer) certificate, DER; an RFC 9420 x509 credential carries it after the leaf.</summary>
    public byte[] IssuerCertificate { get; }

    /// <summary>The root certificate, DER: the trust anchor relying parties configure.</summary>
    public byte[] RootCertificate { get; }

    /// <summary>The published chain: the intermediate certificate then the root certificate, PEM.</summary>
    public string ChainPem { get; }

    /// <summary>
    /// Loads the issuing CA from <paramref name="directory"/> (<see cref="CaFiles.IntermediateCertificate"/>,
    /// <see cref="CaFiles.IntermediateKey"/>, <see cref="CaFiles.Chain"/>); the key file must be mode 0600.
    /// </summary>
    /// <param name="directory">The service's CA directory.</param>
    /// <param name="crlUrl">Where the service serves this CA's CRL; written into every credential.</param>
    /// <exception cref="InsecureKeyFileException">The key file is accessible by group or others.</exception>
    public static CertificateAuthority Load(string directory, Uri crlUrl)
    {
        ArgumentNullException.ThrowIfNull(crlUrl);
        var certificate = KeyFiles.ReadPem(Path.Combine(directory, CaFiles.IntermediateCertificate), "CERTIFICATE")[0];
        var chain = KeyFiles.ReadPem(Path.Combine(directory, CaFiles.Chain), "CERTIFICATE");
        if (!chain[0].AsSpan().SequenceEqual(certificate))
        {
            throw new InvalidDataException($"'{Path.Combine(directory, CaFiles.Chain)}' must start with the certificate in '{CaFiles.IntermediateCertificate}'.");
        }

        var key = KeyFiles.LoadEcPrivateKey(Path.Combine(directory, CaFiles.IntermediateKey));
        try
        {
            return new CertificateAuthority(certificate, key, chain, crlUrl);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Issues a credential: empty subject with a critical subjectAltName holding the SSI and the SII
    /// as URIs, EKU id-kp-imUri, keyUsage digitalSignature (critical), SKI, AKI, the credential
    /// policy, the CRL distribution point and, for telephone numbers, a non-critical TNAuthList.
    /// </summary>
    /// <exception cref="ArgumentException">The key, an identifier, the validity or the serial is unacceptable.</exception>
    public IssuedCredential Issue(CredentialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CredentialIdentifiers.ValidateSsi(request.Ssi);
        var telephoneDigits = CredentialIdentifiers.ValidateSii(request.Sii);
        var notBefore = TruncateToSeconds(request.NotBefore);
        var notAfter = TruncateToSeconds(request.NotAfter);
        if (notAfter <= notBefore)
        {
            throw new ArgumentException("NotAfter must be later than NotBefore.", nameof(request));
        }

        var subjectPublicKey = ParseSubjectPublicKey(request.SubjectPublicKeyInfo.Span, out var keyBits);
        var serial = request.SerialHex is null ? SerialNumbers.NewRandom() : SerialNumbers.Parse(request.SerialHex, nameof(request));

        var alternativeNames = new GeneralNames(
        [
            new GeneralName(GeneralName.UniformResourceIdentifier, request.Ssi),
            new GeneralName(GeneralName.UniformResourceIdentifier, request.Sii),
        ]);
        var subjectKeyId = new SubjectKeyIdentifier(CertificateBuilder.KeyIdentifier(keyBits));

        var extensions = new X509Extension[telephoneDigits is null ? ExtensionOids.Length : TelephoneExtensionOids.Length];
        extensions[0] = _keyUsage;
        extensions[1] = _extendedKeyUsage;
        extensions[2] = CertificateBuilder.Extension(true, alternativeNames);
        extensions[3] = CertificateBuilder.Extension(false, subjectKeyId);
        extensions[4] = _authorityKeyIdentifierExtension;
        extensions[5] = _certificatePolicies;
        extensions[6] = _crlDistributionPoints;
        if (telephoneDigits is not null)
        {
            // Non-critical: OpenSSL 3.0 does not know the extension and rejects the whole chain
            // (error 34) when it is marked critical.
            extensions[7] = new X509Extension(false, new DerOctetString(TnAuthList.Encode(telephoneDigits)));
        }

        var der = CertificateBuilder.Build(
            _signer,
            SerialNumbers.ToDerInteger(serial),
            _issuerName,
            subject: null,
            notBefore.UtcDateTime,
            notAfter.UtcDateTime,
            subjectPublicKey,
            telephoneDigits is null ? ExtensionOids : TelephoneExtensionOids,
            extensions);
        return new IssuedCredential(der, SerialNumbers.ToHex(serial), notBefore, notAfter);
    }

    /// <summary>Signs a CRL listing <paramref name="revoked"/>, with authorityKeyIdentifier and cRLNumber.</summary>
    /// <param name="revoked">The revoked credentials still within their validity.</param>
    /// <param name="thisUpdate">Issue time of this CRL.</param>
    /// <param name="nextUpdate">Time by which the next CRL will be issued.</param>
    /// <param name="crlNumber">Monotonically increasing CRL number.</param>
    public IssuedCrl CreateCrl(IEnumerable<RevokedCredential> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, long crlNumber) =>
        CrlFactory.Create(_signer, _issuerName, _authorityKeyIdentifier, revoked, thisUpdate, nextUpdate, crlNumber);

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    internal static DateTimeOffset TruncateToSeconds(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>
    /// Accepts exactly the two DER forms a P-256 (named curve, uncompressed point) or Ed25519
    /// SubjectPublicKeyInfo can take; DER is canonical, so matching the fixed prefix is a complete
    /// parse and costs nothing per issuance.
    /// </summary>
    private static SubjectPublicKeyInfo ParseSubjectPublicKey(ReadOnlySpan<byte> der, out byte[] keyBits)
    {
        if (der.Length == P256SpkiPrefix.Length + 65 && der.StartsWith(P256SpkiPrefix) && der[P256SpkiPrefix.Length] == 0x04)
        {
            keyBits = der[P256SpkiPrefix.Length..].ToArray();
            return new SubjectPublicKeyInfo(P256Algorithm, keyBits);
        }

        if (der.Length == Ed25519SpkiPrefix.Length + 32 && der.StartsWith(Ed25519SpkiPrefix))
        {
            keyBits = der[Ed25519SpkiPrefix.Length..].ToArray();
            return new SubjectPublicKeyInfo(Ed25519Algorithm, keyBits);
        }

        throw new ArgumentException(
            "The subject key must be a DER SubjectPublicKeyInfo for ECDSA P-256 (named curve, uncompressed point) or Ed25519.",
            nameof(CredentialRequest.SubjectPublicKeyInfo));
    }
}
