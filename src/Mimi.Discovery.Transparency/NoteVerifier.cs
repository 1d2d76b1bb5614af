using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// An Ed25519 note verifier, from a C2SP verifier key <c>name+hex8(keyid)+base64(0x01 ‖ public key)</c>, as the Go
/// sumdb/note package writes it.
/// </summary>
public sealed class NoteVerifier
{
    private readonly Ed25519PublicKeyParameters _key;
    private readonly byte[] _publicKey;

    internal NoteVerifier(string name, uint keyId, byte[] publicKey, Ed25519PublicKeyParameters key)
    {
        Name = name;
        KeyId = keyId;
        _publicKey = publicKey;
        _key = key;
        VerifierKey = NoteKey.Encode(name, keyId, publicKey);
    }

    /// <summary>The key name, which signature lines carry.</summary>
    public string Name { get; }

    /// <summary>The key ID: the first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).</summary>
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The verifier key string, <c>name+hex8(keyid)+base64(0x01 ‖ public key)</c>.</summary>
    public string VerifierKey { get; }

    /// <summary>Parses a verifier key, checking that its key ID matches its name and key.</summary>
    /// <exception cref="FormatException">The text is not a valid Ed25519 verifier key.</exception>
    public static NoteVerifier Parse(string verifierKey) =>
        TryParse(verifierKey, out var verifier) ? verifier : throw new FormatException("Not a valid Ed25519 note verifier key (name+hex8+base64(0x01 ‖ key)) with a matching key ID.");

    /// <summary>Parses a verifier key, checking that its key ID matches its name and key; never throws.</summary>
    public static bool TryParse(string? verifierKey, [NotNullWhen(true)] out NoteVerifier? verifier)
    {
        verifier = NoteKey.TryParseVerifier(verifierKey, NoteKey.Ed25519Type, out var name, out var keyId, out var publicKey, out var key)
            ? new NoteVerifier(name, keyId, publicKey, key)
            : null;
        return verifier is not null;
    }

    /// <summary>Whether <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => NoteKey.Verify(_key, message, signature);

    /// <inheritdoc/>
    public override string ToString() => VerifierKey;
}
