using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// The service's secrets and signing keys, read once at start-up from the key directory (files mode 0600, the
/// directory and its <c>ca/</c> 0700: either open to group or others stops start-up). With <see cref="AuthorityOptions.CreateDevelopmentKeys"/> missing keys are created, including a
/// development CA and a development operator key; otherwise a missing key stops start-up naming the file.
/// </summary>
internal sealed class ServiceKeys
{
    public const string TokenKeyFile = "token-signing.key";
    public const string CodeKeyFile = "code-hash.key";
    public const string OperatorKeyFile = "operator.key";
    public const string DevelopmentOperatorId = "operator";

    public const string CaDirectory = "ca";
    public const string LogKeyFile = "log-signing.key";
    public const string OprfKeyFile = "oprf.key";

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private ServiceKeys(string directory, byte[] tokenKey, byte[] codeKey, OperatorClient? developmentOperator,
        CertificateAuthority ca, MappingAssertionKeyRing assertionKeys, NoteSigner logSigner, VrfKeyRing vrfKeys)
    {
        VrfKeys = vrfKeys;
        Directory = directory;
        Ca = ca;
        AssertionKeys = assertionKeys;
        LogSigner = logSigner;
        TokenSigningKey = new SymmetricSecurityKey(tokenKey) { KeyId = Convert.ToHexStringLower(SHA256.HashData(tokenKey))[..16] };
        CodeHashKey = codeKey;
        DevelopmentOperator = developmentOperator;
    }

    public string Directory { get; }

    /// <summary>The issuing intermediate (its key stays in the key directory).</summary>
    public CertificateAuthority Ca { get; }

    /// <summary>Signing key of mapping assertions, with the previous keys still published.</summary>
    public MappingAssertionKeyRing AssertionKeys { get; }

    /// <summary>The VRF keys that index log entries by identifier: the current one and every earlier one (docs/accountability.md §1).</summary>
    public VrfKeyRing VrfKeys { get; }

    /// <summary>Ed25519 signer of log checkpoints.</summary>
    public NoteSigner LogSigner { get; }

    /// <summary>HMAC key of access tokens.</summary>
    public SymmetricSecurityKey TokenSigningKey { get; }

    /// <summary>HMAC key under which one-time codes are stored.</summary>
    public byte[] CodeHashKey { get; }

    /// <summary>The operator created for the embedded default (its private key is in <see cref="OperatorKeyFile"/>).</summary>
    public OperatorClient? DevelopmentOperator { get; }

    public static string ResolveDirectory(AuthorityOptions authority, StorageOptions storage) =>
        Path.GetFullPath(authority.KeyDirectory ?? Path.Combine(storage.DataDirectory, "keys"));

    /// <param name="authority">Authority settings (key directory, development keys).</param>
    /// <param name="storage">Storage settings (the default key directory).</param>
    /// <param name="authentication">Authentication settings (token key, operators).</param>
    /// <param name="logOrigin">The checkpoint origin: the log signer's key name, as C2SP tlog-checkpoint asks.</param>
    /// <exception cref="StartupException">A key is missing or open to others, or the key directory cannot be used.</exception>
    public static ServiceKeys Load(AuthorityOptions authority, StorageOptions storage, ClientAuthenticationOptions authentication, string logOrigin)
    {
        var directory = ResolveDirectory(authority, storage);
        try
        {
            return Load(directory, authority, authentication, logOrigin);
        }
        catch (Exception e) when (e is InsecureKeyFileException or InvalidDataException)
        {
            throw new StartupException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full disk, or a directory the service may not write: the OS names the file and the cause.
            throw new StartupException($"Key directory '{directory}' (Authority:KeyDirectory) cannot be used: {e.Message}", e);
        }
    }

    private static ServiceKeys Load(string directory, AuthorityOptions authority, ClientAuthenticationOptions authentication, string logOrigin)
    {
        var create = authority.CreateDevelopmentKeys;
        if (create)
        {
            KeyFiles.EnsureKeyDirectory(directory);
        }

        EnsureOwnerOnlyDirectory(Required(directory, "Authority:KeyDirectory"));

        var tokenKey = authentication.TokenSigningKey is { } configured
            ? Convert.FromBase64String(configured)
            : Secret(directory, TokenKeyFile, create, "Authentication:TokenSigningKey");
        var codeKey = Secret(directory, CodeKeyFile, create, "Authority:KeyDirectory");

        OperatorClient? developmentOperator = null;
        if (create && authentication.Operators.Count == 0)
        {
            var path = Path.Combine(directory, OperatorKeyFile);
            if (!File.Exists(path))
            {
                using var generated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                KeyFiles.WritePrivateKey(path, generated);
            }

            using var key = KeyFiles.LoadEcPrivateKey(path);
            var p = key.ExportParameters(false);
            var jwk = $$"""{"kty":"EC","crv":"P-256","x":"{{Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y)}}"}""";
            ClientKey.TryParse(jwk, out var clientKey, out _);
            developmentOperator = new OperatorClient(DevelopmentOperatorId, clientKey!);
        }

        var issuer = authority.Issuer.TrimEnd('/');
        var caDirectory = Path.Combine(directory, CaDirectory);
        if (System.IO.Directory.Exists(caDirectory))
        {
            EnsureOwnerOnlyDirectory(caDirectory);
        }

        var crlUrl = new Uri(issuer + "/ca/intermediate.crl");
        var ca = create
            ? DevCertificateAuthority.EnsureCreated(caDirectory, crlUrl, new Uri(issuer + "/ca/root.crl"))
            : CertificateAuthority.Load(Required(caDirectory, "Authority:KeyDirectory (ca/ with intermediate.pem, intermediate.key, chain.pem)"), crlUrl);
        var assertionKeys = create
            ? MappingAssertionKeyRing.LoadOrCreate(directory)
            : MappingAssertionKeyRing.Load(Required(directory, "Authority:KeyDirectory (" + MappingAssertionKeyRing.SigningKeyFile + ")"));

        var logKeyPath = Path.Combine(directory, LogKeyFile);
        if (!File.Exists(logKeyPath) && create)
        {
            SecretFiles.Write(logKeyPath, NoteSigner.Generate(logOrigin).SignerKey + "\n");
        }

        // The name always comes from Log:Origin, so key files written under another name (once the listen address) sign
        // under the origin too; only the secret is taken from the file.
        var logSigner = NoteSigner.ParseSignerKey(SecretFiles.Read(Required(logKeyPath, "Authority:KeyDirectory (" + LogKeyFile + ")")).Trim())
            .WithName(logOrigin);
        var vrfKeyPath = Path.Combine(directory, VrfKeyRing.KeyFile);
        if (!File.Exists(vrfKeyPath) && create)
        {
            using var generated = VrfKeyRing.Generate();
            generated.Save(directory);
        }

        var vrfKeys = VrfKeyRing.Load(Path.GetDirectoryName(Required(vrfKeyPath, "Authority:KeyDirectory (" + VrfKeyRing.KeyFile + ", created by mimi keys rotate-vrf)"))!);
        return new ServiceKeys(directory, tokenKey, codeKey, developmentOperator, ca, assertionKeys, logSigner, vrfKeys);
    }

    /// <summary>
    /// Refuses a directory holding keys that its group or others can access, as <see cref="KeyFiles"/> refuses such a
    /// key file: others could list the keys, or add and replace files in it. Created ones are 0700.
    /// </summary>
    private static void EnsureOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            var octal = "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
            throw new StartupException(
                $"Key directory '{path}' has mode {octal} and is accessible by group or others; it must be accessible by its owner only (run: chmod 700 '{path}').");
        }
    }

    private static string Required(string path, string setting)
    {
        if (!File.Exists(path) && !System.IO.Directory.Exists(path))
        {
            throw new StartupException($"'{path}' is missing. Provide it (see {setting}) or set Authority:CreateDevelopmentKeys=true for a development instance.");
        }

        return path;
    }

    /// <summary>Reads a random secret (base64 text), creating it owner-only when allowed.</summary>
    private static byte[] Secret(string directory, string name, bool create, string setting)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            if (!create)
            {
                throw new StartupException(
                    $"Key file '{path}' is missing. Provide it (see {setting}) or set Authority:CreateDevelopmentKeys=true for a development instance.");
            }

            SecretFiles.Write(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        }

        return Convert.FromBase64String(SecretFiles.Read(path).Trim());
    }
}
