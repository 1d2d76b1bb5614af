using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Mimi.Discovery.Authority;

/// <summary>
/// The issuing (intermediate) CA: issues identifier credentials and signs CRLs. Everything derived
/// from the intermediate certificate (issuer name, authority key identifier, the constant
/// extensions) is built once here, so an issuance only encodes what differs per credential.
/// Instances are safe to use from several threads.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (66 octets: no unused bits, 0x04 || X || Y) }
    private static readonly byte[] P256SpkiPrefix = Convert.FromHexString("3059301306072A8648CE3D020106082A8648CE3D030107034200");

    // SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING (33 octets: no unused bits, 32-octet key) } (RFC 8410)
    private static readonly byte[] Ed25519SpkiPrefix = Convert.FromHexString("302A300506032B6570032100");

    private readonly ECDsa _key;
    private readonly EcdsaSignatureFactory _signer;
    private readonly X509Name _issuerName;
    private readonly AuthorityKeyIdentifier _authorityKeyIdentifier;
    private readonly LeafCertificateWriter _leaf;

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

        _leaf = new LeafCertificateWriter(key, _issuerName.GetEncoded(Asn1Encodable.Der),
            Extension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature)),
            Extension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_imUri)),
            [
                Extension(X509Extensions.AuthorityKeyIdentifier, false, _authorityKeyIdentifier),
                Extension(X509Extensions.CertificatePolicies, false, CertificateBuilder.CredentialPolicy()),
                Extension(X509Extensions.CrlDistributionPoints, false, CertificateBuilder.CrlDistributionPoint(crlUrl)),
            ]);

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
    /// policy, the CRL distribution point, for telephone numbers a non-critical TNAuthList and, when the request
    /// carries one, the non-critical identifier index proof.
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

        var keyBits = SubjectKeyBits(request.SubjectPublicKeyInfo.Span);
        var serial = request.SerialHex is null ? SerialNumbers.NewRandom() : SerialNumbers.Parse(request.SerialHex, nameof(request));
        var der = _leaf.Write(serial, notBefore, notAfter, request.SubjectPublicKeyInfo.Span, keyBits, request.Ssi, request.Sii, telephoneDigits,
            request.IndexProof?.Encode());
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
    /// SubjectPublicKeyInfo can take and returns the key bits; DER is canonical, so matching the fixed
    /// prefix is a complete parse, and the bytes can be written into the certificate unchanged.
    /// </summary>
    private static ReadOnlySpan<byte> SubjectKeyBits(ReadOnlySpan<byte> der)
    {
        if (der.Length == P256SpkiPrefix.Length + 65 && der.StartsWith(P256SpkiPrefix) && der[P256SpkiPrefix.Length] == 0x04)
        {
            return der[P256SpkiPrefix.Length..];
        }

        if (der.Length == Ed25519SpkiPrefix.Length + 32 && der.StartsWith(Ed25519SpkiPrefix))
        {
            return der[Ed25519SpkiPrefix.Length..];
        }

        throw new ArgumentException(
            "The subject key must be a DER SubjectPublicKeyInfo for ECDSA P-256 (named curve, uncompressed point) or Ed25519.",
            nameof(CredentialRequest.SubjectPublicKeyInfo));
    }

    private static byte[] Extension(DerObjectIdentifier oid, bool critical, Asn1Encodable value) =>
        LeafCertificateWriter.Extension(oid.Id, critical, value.GetEncoded(Asn1Encodable.Der));
}
