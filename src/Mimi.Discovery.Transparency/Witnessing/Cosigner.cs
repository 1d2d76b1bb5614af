using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// A witness's signing key for C2SP tlog-cosignature <c>cosignature/v1</c> (Ed25519). Its secret form is
/// <c>PRIVATE+KEY+name+hex8(keyid)+base64(0x04 ‖ seed)</c> (the note signer key form, with the cosignature type byte);
/// its public form is <see cref="VerifierKey"/>.
/// </summary>
public sealed class Cosigner
{
    private readonly Ed25519PrivateKeyParameters _key;
    private readonly byte[] _seed;

    private Cosigner(string name, byte[] seed)
    {
        _seed = seed;
        _key = new Ed25519PrivateKeyParameters(seed);
        var publicKey = _key.GeneratePublicKey();
        var encoded = publicKey.GetEncoded();
        Verifier = new CosignatureVerifier(name, NoteKey.KeyId(name, encoded, NoteKey.CosignatureV1Type), encoded, publicKey);
    }

    /// <summary>The key name its cosignature lines carry (a schema-less URL naming the witness, e.g. <c>witness.example/w1</c>).</summary>
    public string Name => Verifier.Name;

    /// <summary>The key ID: the first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key).</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The verifier for this key.</summary>
    public CosignatureVerifier Verifier { get; }

    /// <summary>The verifier key to publish, <c>name+hex8(keyid)+base64(0x04 ‖ public key)</c>.</summary>
    public string VerifierKey => Verifier.VerifierKey;

    /// <summary>The secret signer key, <c>PRIVATE+KEY+name+hex8(keyid)+base64(0x04 ‖ seed)</c>; keep it out of logs.</summary>
    public string SignerKey => NoteKey.SignerKeyPrefix + NoteKey.Encode(Name, KeyId, _seed, NoteKey.CosignatureV1Type);

    /// <summary>A cosigner from a key name and a 32-byte Ed25519 seed (RFC 8032 private key).</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name or the seed is not 32 bytes.</exception>
    public static Cosigner Create(string name, ReadOnlySpan<byte> seed)
    {
        NoteKey.CheckNameAndSeed(name, seed);
        return new Cosigner(name, seed.ToArray());
    }

    /// <summary>A cosigner with a new random key.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public static Cosigner Generate(string name) => NoteKey.Generate(name, Create);

    /// <summary>Parses a secret cosigner key, checking that its key ID matches the public key the seed gives.</summary>
    /// <exception cref="FormatException">The text is not a valid cosigner key.</exception>
    public static Cosigner ParseSignerKey(string signerKey) =>
        TryParseSignerKey(signerKey, out var cosigner)
            ? cosigner
            : throw new FormatException("Not a valid cosignature/v1 signer key (PRIVATE+KEY+name+hex8+base64(0x04 ‖ seed)) with a matching key ID.");

    /// <summary>Parses a secret cosigner key, checking that its key ID matches the public key the seed gives; never throws.</summary>
    public static bool TryParseSignerKey(string? signerKey, [NotNullWhen(true)] out Cosigner? cosigner)
    {
        cosigner = NoteKey.TryParseSigner(signerKey, NoteKey.CosignatureV1Type, out var name, out var keyId, out var seed) ? new Cosigner(name, seed) : null;
        if (cosigner?.KeyId != keyId)
        {
            cosigner = null;
        }

        return cosigner is not null;
    }

    /// <summary>
    /// Cosigns <paramref name="checkpointBody"/> (the checkpoint note text, ending in a newline, without signature lines)
    /// at <paramref name="timestamp"/> (POSIX seconds): Ed25519 over <c>"cosignature/v1\ntime &lt;t&gt;\n" ‖ body</c>.
    /// <see cref="Cosignature.Format"/> gives the signature line.
    /// </summary>
    /// <exception cref="ArgumentException">The body is not a note text (empty, no final newline, control characters).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp is negative.</exception>
    public Cosignature Sign(string checkpointBody, long timestamp)
    {
        if (!Cosignature.IsNoteText(checkpointBody))
        {
            throw new ArgumentException("A checkpoint body is a note text: non-empty, ending in a newline, no other control characters.", nameof(checkpointBody));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        return new Cosignature(Name, KeyId, timestamp, NoteKey.Sign(_key, Cosignature.SignedMessage(checkpointBody, timestamp)));
    }

    /// <summary>Cosigns <paramref name="checkpoint"/> (its <see cref="Checkpoint.Format"/> text) at <paramref name="timestamp"/>.</summary>
    public Cosignature Sign(Checkpoint checkpoint, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Sign(checkpoint.Format(), timestamp);
    }

    /// <inheritdoc/>
    public override string ToString() => VerifierKey;
}
