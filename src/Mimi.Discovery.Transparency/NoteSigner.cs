using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// An Ed25519 note signer (C2SP signed-note). Its secret form is the Go sumdb/note signer key
/// <c>PRIVATE+KEY+name+hex8(keyid)+base64(0x01 ‖ seed)</c>; its public form is <see cref="VerifierKey"/>.
/// </summary>
public sealed class NoteSigner
{
    private readonly Ed25519PrivateKeyParameters _key;
    private readonly byte[] _seed;

    private NoteSigner(string name, byte[] seed)
    {
        _seed = seed;
        _key = new Ed25519PrivateKeyParameters(seed);
        var publicKey = _key.GeneratePublicKey();
        var encoded = publicKey.GetEncoded();
        Name = name;
        KeyId = NoteKey.KeyId(name, encoded);
        Verifier = new NoteVerifier(name, KeyId, encoded, publicKey);
    }

    /// <summary>The key name, which signature lines carry (for a checkpoint, the log origin).</summary>
    public string Name { get; }

    /// <summary>The key ID: the first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).</summary>
    public uint KeyId { get; }

    /// <summary>The verifier for this signer's public key.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>The verifier key to publish, <c>name+hex8(keyid)+base64(0x01 ‖ public key)</c>.</summary>
    public string VerifierKey => Verifier.VerifierKey;

    /// <summary>The secret signer key, <c>PRIVATE+KEY+name+hex8(keyid)+base64(0x01 ‖ seed)</c>; keep it out of logs.</summary>
    public string SignerKey => NoteKey.SignerKeyPrefix + NoteKey.Encode(Name, KeyId, _seed);

    /// <summary>A signer from a key name and a 32-byte Ed25519 seed (RFC 8032 private key).</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name or the seed is not 32 bytes.</exception>
    public static NoteSigner Create(string name, ReadOnlySpan<byte> seed)
    {
        NoteKey.CheckNameAndSeed(name, seed);
        return new NoteSigner(name, seed.ToArray());
    }

    /// <summary>A signer with a new random key.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public static NoteSigner Generate(string name) => NoteKey.Generate(name, Create);

    /// <summary>
    /// This key under another name (and so another key ID). A log's key name should be its checkpoint origin
    /// (C2SP tlog-checkpoint); the name is part of what verifiers pin, the key file only keeps the secret.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public NoteSigner WithName(string name) => name == Name ? this : Create(name, _seed);

    /// <summary>Parses a secret signer key, checking that its key ID matches the public key the seed gives.</summary>
    /// <exception cref="FormatException">The text is not a valid Ed25519 signer key.</exception>
    public static NoteSigner ParseSignerKey(string signerKey) =>
        TryParseSignerKey(signerKey, out var signer) ? signer : throw new FormatException("Not a valid Ed25519 note signer key (PRIVATE+KEY+name+hex8+base64(0x01 ‖ seed)) with a matching key ID.");

    /// <summary>Parses a secret signer key, checking that its key ID matches the public key the seed gives; never throws.</summary>
    public static bool TryParseSignerKey(string? signerKey, [NotNullWhen(true)] out NoteSigner? signer)
    {
        signer = NoteKey.TryParseSigner(signerKey, NoteKey.Ed25519Type, out var name, out var keyId, out var seed) ? new NoteSigner(name, seed) : null;
        if (signer?.KeyId != keyId)
        {
            signer = null;
        }

        return signer is not null;
    }

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => NoteKey.Sign(_key, message);

    /// <inheritdoc/>
    public override string ToString() => VerifierKey;
}
