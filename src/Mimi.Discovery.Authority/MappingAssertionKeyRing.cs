using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.Authority;

/// <summary>
/// The mapping assertion keys: the current ES256 signing key and the previous keys, kept (public
/// part only) so assertions signed before a rotation still verify while they are published.
/// Immutable: <see cref="Rotate"/> returns a new ring; the caller swaps it in and disposes the old one.
/// </summary>
public sealed class MappingAssertionKeyRing : IDisposable
{
    /// <summary>File holding the current signing key, PKCS#8 PEM, mode 0600.</summary>
    public const string SigningKeyFile = "assertion-signing.key";

    /// <summary>File holding the previous keys' public parts, PEM <c>PUBLIC KEY</c> blocks, newest first.</summary>
    public const string PreviousKeysFile = "assertion-previous.pem";

    private MappingAssertionKeyRing(ECDsa signingKey, IReadOnlyList<EcPublicJwk> previous)
    {
        SigningKey = signingKey;
        Current = EcPublicJwk.FromKey(signingKey);
        Previous = previous;
        Jwks = new JwksDocument([Current, .. previous]);
    }

    /// <summary>The current signing key's public JWK; its <see cref="EcPublicJwk.KeyId"/> is the <c>kid</c> of new assertions.</summary>
    public EcPublicJwk Current { get; }

    /// <summary>Earlier signing keys still published for verification, newest first.</summary>
    public IReadOnlyList<EcPublicJwk> Previous { get; }

    /// <summary>The JWK set to publish: current key first, then the previous keys.</summary>
    public JwksDocument Jwks { get; }

    internal ECDsa SigningKey { get; }

    /// <summary>A ring with a fresh P-256 signing key and no previous keys.</summary>
    public static MappingAssertionKeyRing Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);

    /// <summary>
    /// A new ring whose signing key is fresh and whose previous keys are this ring's current key
    /// followed by at most <paramref name="keepPrevious"/> − 1 of this ring's previous keys.
    /// </summary>
    public MappingAssertionKeyRing Rotate(int keepPrevious = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepPrevious, 1);
        var previous = new List<EcPublicJwk>(keepPrevious) { Current };
        for (var i = 0; i < Previous.Count && previous.Count < keepPrevious; i++)
        {
            previous.Add(Previous[i]);
        }

        return new MappingAssertionKeyRing(ECDsa.Create(ECCurve.NamedCurves.nistP256), previous);
    }

    /// <summary>
    /// Writes the ring into <paramref name="directory"/> (created 0700): the signing key with mode
    /// 0600, replacing an older file by rename, and the previous public keys.
    /// </summary>
    public void Save(string directory)
    {
        KeyFiles.EnsureKeyDirectory(directory);
        var previous = new StringBuilder();
        foreach (var key in Previous)
        {
            using var ecdsa = key.CreateVerificationKey();
            previous.Append(ecdsa.ExportSubjectPublicKeyInfoPem()).Append('\n');
        }

        KeyFiles.WriteText(Path.Combine(directory, PreviousKeysFile), previous.ToString(), isPrivate: false, overwrite: true);
        KeyFiles.WritePrivateKey(Path.Combine(directory, SigningKeyFile), SigningKey, overwrite: true);
    }

    /// <summary>Loads a ring saved by <see cref="Save"/>.</summary>
    /// <exception cref="InsecureKeyFileException">The signing key file is accessible by group or others.</exception>
    public static MappingAssertionKeyRing Load(string directory)
    {
        var signingKey = KeyFiles.LoadEcPrivateKey(Path.Combine(directory, SigningKeyFile));
        try
        {
            var previous = new List<EcPublicJwk>();
            var previousPath = Path.Combine(directory, PreviousKeysFile);
            if (File.Exists(previousPath))
            {
                foreach (var der in Pem.Decode(File.ReadAllText(previousPath), "PUBLIC KEY"))
                {
                    using var key = ECDsa.Create();
                    key.ImportSubjectPublicKeyInfo(der, out _);
                    previous.Add(EcPublicJwk.FromKey(key));
                }
            }

            return new MappingAssertionKeyRing(signingKey, previous);
        }
        catch
        {
            signingKey.Dispose();
            throw;
        }
    }

    /// <summary>Loads the ring from <paramref name="directory"/>, or generates and saves one on first use.</summary>
    public static MappingAssertionKeyRing LoadOrCreate(string directory)
    {
        if (File.Exists(Path.Combine(directory, SigningKeyFile)))
        {
            return Load(directory);
        }

        var ring = Generate();
        ring.Save(directory);
        return ring;
    }

    /// <inheritdoc/>
    public void Dispose() => SigningKey.Dispose();
}
