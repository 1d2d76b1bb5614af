using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// Pieces shared by note signer and verifier keys (C2SP signed-note): Ed25519 note keys (type 0x01) and Ed25519
/// cosigner keys (C2SP tlog-cosignature, type 0x04), which differ only in the type byte.
/// </summary>
internal static class NoteKey
{
    /// <summary>The signature type byte of Ed25519 note signatures.</summary>
    public const byte Ed25519Type = 0x01;

    /// <summary>The signature type byte of Ed25519 <c>cosignature/v1</c> keys (C2SP tlog-cosignature).</summary>
    public const byte CosignatureV1Type = 0x04;

    public const int KeyLength = 32;

    public const int SignatureLength = 64;

    /// <summary>The prefix of secret signer keys, as Go's sumdb/note writes them.</summary>
    public const string SignerKeyPrefix = "PRIVATE+KEY+";

    /// <summary>Key names are non-empty and have no Unicode space and no plus.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var rune in name.EnumerateRunes())
        {
            // Lone surrogates enumerate as the replacement character, so ill-formed names are refused too.
            if (rune == Rune.ReplacementChar || rune.Value == '+' || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>key ID = first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ public key).</summary>
    public static uint KeyId(string name, ReadOnlySpan<byte> publicKey, byte type = Ed25519Type)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(buffer, 0);
        buffer[nameBytes.Length] = 0x0A;
        buffer[nameBytes.Length + 1] = type;
        publicKey.CopyTo(buffer.AsSpan(nameBytes.Length + 2));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer, hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>"name+hex8(keyid)+base64(type ‖ key)", the form both verifier and signer keys take.</summary>
    public static string Encode(string name, uint keyId, ReadOnlySpan<byte> key, byte type = Ed25519Type)
    {
        var typed = new byte[1 + key.Length];
        typed[0] = type;
        key.CopyTo(typed.AsSpan(1));
        return name + "+" + keyId.ToString("x8", CultureInfo.InvariantCulture) + "+" + Convert.ToBase64String(typed);
    }

    /// <summary>Splits "name+hex8+base64(type ‖ 32 bytes)" into its parts; never throws.</summary>
    public static bool TryDecode(string text, out string name, out uint keyId, out byte[] key, byte type = Ed25519Type)
    {
        name = string.Empty;
        keyId = 0;
        key = [];
        var first = text.IndexOf('+', StringComparison.Ordinal);
        if (first < 0)
        {
            return false;
        }

        var second = text.IndexOf('+', first + 1);
        if (second < 0)
        {
            return false;
        }

        var candidate = text[..first];
        var hex = text.AsSpan(first + 1, second - first - 1);
        var encoded = text.AsSpan(second + 1);
        Span<byte> typed = stackalloc byte[1 + KeyLength + 3];
        if (!IsValidName(candidate) || hex.Length != 8 || encoded.ContainsAny(" \t\r\n")
            || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId)
            || !Convert.TryFromBase64Chars(encoded, typed, out var written) || written != 1 + KeyLength || typed[0] != type)
        {
            return false;
        }

        name = candidate;
        key = typed.Slice(1, KeyLength).ToArray();
        return true;
    }

    /// <summary>
    /// Parses a verifier key of <paramref name="type"/>: its key ID must match its name and key, and the key must be a
    /// point on the curve. Never throws.
    /// </summary>
    public static bool TryParseVerifier(string? text, byte type, out string name, out uint keyId, out byte[] publicKey,
        [NotNullWhen(true)] out Ed25519PublicKeyParameters? key)
    {
        key = null;
        name = string.Empty;
        keyId = 0;
        publicKey = [];
        if (text is null || text.Length > 1024 || !TryDecode(text, out name, out keyId, out publicKey, type) || KeyId(name, publicKey, type) != keyId)
        {
            return false;
        }

        try
        {
            key = new Ed25519PublicKeyParameters(publicKey);
            return true;
        }
        catch (ArgumentException)
        {
            // Not a point on the curve.
            return false;
        }
    }

    /// <summary>Parses a secret signer key <c>PRIVATE+KEY+name+hex8(keyid)+base64(type ‖ seed)</c> into its parts (the key ID unchecked). Never throws.</summary>
    public static bool TryParseSigner(string? text, byte type, out string name, out uint keyId, out byte[] seed)
    {
        name = string.Empty;
        keyId = 0;
        seed = [];
        return text is not null && text.Length <= 1024 && text.StartsWith(SignerKeyPrefix, StringComparison.Ordinal)
            && TryDecode(text[SignerKeyPrefix.Length..], out name, out keyId, out seed, type);
    }

    /// <summary>Throws unless <paramref name="name"/> is a key name and <paramref name="seed"/> an Ed25519 seed.</summary>
    /// <exception cref="ArgumentException">Either is not.</exception>
    public static void CheckNameAndSeed(string name, ReadOnlySpan<byte> seed)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("A note key name is non-empty and has no spaces, plus signs or control characters.", nameof(name));
        }

        if (seed.Length != KeyLength)
        {
            throw new ArgumentException($"An Ed25519 seed is {KeyLength} bytes.", nameof(seed));
        }
    }

    /// <summary>A signer made by <paramref name="create"/> from a fresh random seed, wiped afterwards.</summary>
    public static T Generate<T>(string name, Func<string, ReadOnlySpan<byte>, T> create)
    {
        Span<byte> seed = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return create(name, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    public static byte[] Sign(Ed25519PrivateKeyParameters key, ReadOnlySpan<byte> message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="key"/>'s Ed25519 signature of <paramref name="message"/>.</summary>
    public static bool Verify(Ed25519PublicKeyParameters key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature.ToArray());
    }
}
