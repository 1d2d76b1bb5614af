using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Authority;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Mimi.Discovery.Client;

/// <summary>
/// A client's identity at the service: its client id (a provider domain, or an operator id) and the private key
/// it signs RFC 7523 client assertions with (ES256 with a P-256 key, or EdDSA with an Ed25519 key).
/// </summary>
public sealed class ClientCredentials : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    private ClientCredentials(string clientId, ECDsa? ecdsa, Ed25519PrivateKeyParameters? ed25519)
    {
        ClientId = clientId;
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
        PublicJwk = ecdsa is not null ? EcJwk(ecdsa) : OkpJwk(ed25519!.GeneratePublicKey().GetEncoded());
        KeyId = Thumbprint(PublicJwk);
    }

    /// <summary>The client id: a provider's domain or an operator id.</summary>
    public string ClientId { get; }

    /// <summary>The public key as a JWK (JSON), for enrolment; no kid member, so the service uses the thumbprint.</summary>
    public string PublicJwk { get; }

    /// <summary>The RFC 7638 thumbprint of <see cref="PublicJwk"/>, used as <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>The public key as a PEM SubjectPublicKeyInfo (for a user's credential request).</summary>
    public string PublicKeyPem => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo);

    /// <summary>The public key as DER SubjectPublicKeyInfo.</summary>
    public byte[] SubjectPublicKeyInfo => _ecdsa is not null
        ? _ecdsa.ExportSubjectPublicKeyInfo()
        : Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_ed25519!.GeneratePublicKey()).GetEncoded();

    /// <summary>"ES256" or "EdDSA".</summary>
    public string Algorithm => _ecdsa is not null ? "ES256" : "EdDSA";

    /// <summary>Generates a new P-256 key for <paramref name="clientId"/>.</summary>
    public static ClientCredentials GenerateEs256(string clientId) => new(clientId, ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    /// <summary>Generates a new Ed25519 key for <paramref name="clientId"/>.</summary>
    public static ClientCredentials GenerateEd25519(string clientId) =>
        new(clientId, null, new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom()));

    /// <summary>
    /// Loads a PKCS#8 PEM private key (EC P-256 or Ed25519). The file must be readable by its owner only.
    /// </summary>
    public static ClientCredentials Load(string clientId, string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidOperationException($"Key file '{path}' is readable by group or others; chmod 600 it.");
        }

        var pem = File.ReadAllText(path);
        if (Ed25519Info(pem) is { } info)
        {
            return new ClientCredentials(clientId, null, (Ed25519PrivateKeyParameters)Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(info));
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return new ClientCredentials(clientId, ecdsa, null);
    }

    /// <summary>Writes the private key as PKCS#8 PEM, creating the file with mode 0600.</summary>
    public void Save(string path)
    {
        string pem;
        if (_ecdsa is not null)
        {
            pem = _ecdsa.ExportPkcs8PrivateKeyPem();
        }
        else
        {
            var info = Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(_ed25519);
            pem = PemEncoding.WriteString("PRIVATE KEY", info.GetEncoded());
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(pem + "\n"));
    }

    /// <summary>A fresh client assertion for <paramref name="tokenEndpoint"/>: iss = sub = client id, unique jti, 60 s life.</summary>
    public string CreateAssertion(string tokenEndpoint, DateTimeOffset now, TimeSpan? lifetime = null, string? jti = null) =>
        SignJws(new Dictionary<string, object>
        {
            ["iss"] = ClientId,
            ["sub"] = ClientId,
            ["aud"] = tokenEndpoint,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromSeconds(60))).ToUnixTimeSeconds(),
            ["jti"] = jti ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        }, "JWT");

    /// <summary>Signs <paramref name="claims"/> as a compact JWS with this key (header: alg, kid, typ).</summary>
    public string SignJws(IReadOnlyDictionary<string, object> claims, string type)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = Algorithm, ["kid"] = KeyId, ["typ"] = type });
        return CompactJws.Create(CompactJws.EncodePart(header), JsonSerializer.SerializeToUtf8Bytes(claims), Sign);
    }

    private void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        if (_ecdsa is not null)
        {
            _ecdsa.SignData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return;
        }

        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        signer.BlockUpdate(data);
        signer.GenerateSignature().CopyTo(signature);
    }

    /// <summary>
    /// A secret derived from the private key with HKDF-SHA256 (<paramref name="purpose"/> as info): keys that every
    /// replica holding this key must agree on without another file to distribute.
    /// </summary>
    public byte[] DeriveSecret(string purpose, int length)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        var secret = _ecdsa is not null ? _ecdsa.ExportParameters(true).D! : _ed25519!.GetEncoded();
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, length, salt: [], info: Encoding.UTF8.GetBytes(purpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _ecdsa?.Dispose();

    private static Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo? Ed25519Info(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var found) || pem[found.Label] != "PRIVATE KEY")
        {
            return null;
        }

        var info = Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo.GetInstance(Convert.FromBase64String(pem[found.Base64Data]));
        return info.PrivateKeyAlgorithm.Algorithm.Equals(Org.BouncyCastle.Asn1.EdEC.EdECObjectIdentifiers.id_Ed25519) ? info : null;
    }

    private static string EcJwk(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return $$"""{"crv":"P-256","kty":"EC","x":"{{Base64Url.EncodeToString(p.Q.X)}}","y":"{{Base64Url.EncodeToString(p.Q.Y)}}"}""";
    }

    private static string OkpJwk(byte[] x) => $$"""{"crv":"Ed25519","kty":"OKP","x":"{{Base64Url.EncodeToString(x)}}"}""";

    // Members are already in RFC 7638 canonical order and form.
    private static string Thumbprint(string canonicalJwk) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJwk)));
}
