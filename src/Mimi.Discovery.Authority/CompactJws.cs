using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Authority;

/// <summary>
/// The one implementation of compact JWS (RFC 7515 §7.1) for what this system signs and verifies itself: client
/// assertions, peer request tokens and mapping assertions. Every algorithm used (ES256 with the raw r‖s signature,
/// EdDSA with Ed25519) has a 64-byte signature. Readers never throw on untrusted input: they return false.
/// </summary>
public static class CompactJws
{
    /// <summary>The length of an ES256 (r‖s) or Ed25519 signature.</summary>
    public const int SignatureLength = 64;

    private static readonly int EncodedSignatureLength = Base64Url.GetEncodedLength(SignatureLength);

    /// <summary>A JOSE header or payload, base64url-encoded as ASCII bytes, ready for <see cref="Create"/>.</summary>
    public static byte[] EncodePart(ReadOnlySpan<byte> json)
    {
        var encoded = new byte[Base64Url.GetEncodedLength(json.Length)];
        Base64Url.EncodeToUtf8(json, encoded);
        return encoded;
    }

    /// <summary>
    /// Signs <paramref name="payloadJson"/> under the already encoded protected header: one pooled buffer for the
    /// signing input, one signature, one string.
    /// </summary>
    public static string Create(ReadOnlySpan<byte> encodedHeader, ReadOnlySpan<byte> payloadJson, JwsSigner sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        var signingInputLength = encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payloadJson.Length);
        var tokenLength = signingInputLength + 1 + EncodedSignatureLength;
        var buffer = ArrayPool<byte>.Shared.Rent(tokenLength);
        try
        {
            var token = buffer.AsSpan(0, tokenLength);
            encodedHeader.CopyTo(token);
            token[encodedHeader.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payloadJson, token[(encodedHeader.Length + 1)..]);

            Span<byte> signature = stackalloc byte[SignatureLength];
            sign(token[..signingInputLength], signature);
            token[signingInputLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature, token[(signingInputLength + 1)..]);
            return Encoding.ASCII.GetString(token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Puts a token back together from its encoded header, its payload and its signature (no signing).</summary>
    public static string Assemble(ReadOnlySpan<char> encodedHeader, ReadOnlySpan<byte> payloadJson, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            throw new ArgumentException($"A signature is {SignatureLength} bytes.", nameof(signature));
        }

        var length = encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payloadJson.Length) + 1 + EncodedSignatureLength;
        var buffer = ArrayPool<char>.Shared.Rent(length);
        try
        {
            var chars = buffer.AsSpan(0, length);
            encodedHeader.CopyTo(chars);
            var at = encodedHeader.Length;
            chars[at++] = '.';
            at += Base64Url.EncodeToChars(payloadJson, chars[at..]);
            chars[at++] = '.';
            Base64Url.EncodeToChars(signature, chars[at..]);
            return new string(chars);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Finds the two dots of a compact JWS: false unless <paramref name="token"/> has exactly three parts. The header is
    /// <c>[..firstDot]</c>, the payload <c>[(firstDot + 1)..secondDot]</c>, the signing input <c>[..secondDot]</c>.
    /// </summary>
    public static bool TrySplit(string token, out int firstDot, out int secondDot)
    {
        ArgumentNullException.ThrowIfNull(token);
        firstDot = token.IndexOf('.', StringComparison.Ordinal);
        secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        return secondDot >= 0 && token.IndexOf('.', secondDot + 1) < 0;
    }

    /// <summary>The bytes a signature covers: the ASCII of the header and payload parts with the dot between.</summary>
    public static byte[] SigningInput(string token, int secondDot) => Encoding.ASCII.GetBytes(token, 0, secondDot);

    /// <summary>Decodes the signature part into <paramref name="signature"/>; false unless it is base64url of exactly <see cref="SignatureLength"/> bytes.</summary>
    public static bool TryDecodeSignature(ReadOnlySpan<char> encoded, Span<byte> signature) =>
        // TryDecodeFromChars throws on characters outside the alphabet; IsValid checks them without throwing.
        Base64Url.IsValid(encoded, out var length) && length == SignatureLength && signature.Length >= SignatureLength
        && Base64Url.TryDecodeFromChars(encoded, signature, out _);

    /// <summary>Decodes a base64url part; false when it is not base64url.</summary>
    public static bool TryDecode(ReadOnlySpan<char> part, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    /// <summary>
    /// Decodes a base64url part holding a JSON object. Anything else is false, including text that is not valid Unicode
    /// (a lone surrogate escape, invalid UTF-8): after this, reading the object's names and strings cannot throw.
    /// </summary>
    public static bool TryDecodeJson(ReadOnlySpan<char> part, [NotNullWhen(true)] out JsonDocument? document)
    {
        document = null;
        if (!TryDecode(part, out var bytes) || !UntrustedJson.TryParse(bytes, out document))
        {
            return false;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        document.Dispose();
        document = null;
        return false;
    }

    /// <summary>A NumericDate claim (whole seconds since the epoch, up to year 9999); false when absent or not one.</summary>
    public static bool TryTime(JsonElement payload, string name, out DateTimeOffset value)
    {
        value = default;
        if (!payload.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var seconds)
            || seconds is < 0 or > 253402300799)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
