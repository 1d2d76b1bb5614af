using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// A witness (cosigner) public key for C2SP tlog-cosignature <c>cosignature/v1</c>: its verifier key is the vkey
/// <c>name+hex8(keyid)+base64(0x04 ‖ Ed25519 public key)</c>, key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4].
/// </summary>
public sealed class CosignatureVerifier
{
    private readonly Ed25519PublicKeyParameters _key;
    private readonly byte[] _publicKey;

    internal CosignatureVerifier(string name, uint keyId, byte[] publicKey, Ed25519PublicKeyParameters key)
    {
        Name = name;
        KeyId = keyId;
        _publicKey = publicKey;
        _key = key;
        VerifierKey = NoteKey.Encode(name, keyId, publicKey, NoteKey.CosignatureV1Type);
    }

    /// <summary>The cosigner's key name, which its signature lines carry.</summary>
    public string Name { get; }

    /// <summary>The key ID: the first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key).</summary>
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The verifier key, <c>name+hex8(keyid)+base64(0x04 ‖ public key)</c>.</summary>
    public string VerifierKey { get; }

    /// <summary>Parses a cosigner verifier key, checking that its key ID matches its name and key.</summary>
    /// <exception cref="FormatException">The text is not a valid <c>cosignature/v1</c> verifier key.</exception>
    public static CosignatureVerifier Parse(string verifierKey) =>
        TryParse(verifierKey, out var verifier)
            ? verifier
            : throw new FormatException("Not a valid cosignature/v1 verifier key (name+hex8+base64(0x04 ‖ Ed25519 key)) with a matching key ID.");

    /// <summary>Parses a cosigner verifier key, checking that its key ID matches its name and key; never throws.</summary>
    public static bool TryParse(string? verifierKey, [NotNullWhen(true)] out CosignatureVerifier? verifier)
    {
        verifier = NoteKey.TryParseVerifier(verifierKey, NoteKey.CosignatureV1Type, out var name, out var keyId, out var publicKey, out var key)
            ? new CosignatureVerifier(name, keyId, publicKey, key)
            : null;
        return verifier is not null;
    }

    /// <summary>Whether <paramref name="cosignature"/> carries this key's name and key ID.</summary>
    public bool Matches(Cosignature cosignature)
    {
        ArgumentNullException.ThrowIfNull(cosignature);
        return cosignature.KeyId == KeyId && string.Equals(cosignature.Name, Name, StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether <paramref name="cosignature"/> is this key's <c>cosignature/v1</c> on <paramref name="checkpointBody"/> (the
    /// note text, ending in a newline, without signature lines). False for another key's line; never throws for bad input.
    /// </summary>
    public bool Verify(string checkpointBody, Cosignature cosignature)
    {
        ArgumentNullException.ThrowIfNull(cosignature);
        if (!Matches(cosignature) || !Cosignature.IsNoteText(checkpointBody))
        {
            return false;
        }

        return NoteKey.Verify(_key, Cosignature.SignedMessage(checkpointBody, cosignature.Timestamp), cosignature.Signature);
    }

    /// <inheritdoc/>
    public override string ToString() => VerifierKey;
}
