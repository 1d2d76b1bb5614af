using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mimi.Discovery.Authority;

/// <summary>
/// Signs mapping assertions: compact JWS (RFC 7515), ES256 with the raw r‖s signature, protected
/// header <c>{"alg":"ES256","typ":"mimi-mapping+jwt","kid":…}</c> and claims <c>iss</c>, <c>sub</c>
/// (the SII), <c>ssi</c>, <c>provider</c>, <c>tags</c>, <c>iat</c>, <c>exp</c>, <c>log_index</c>,
/// <c>cred</c>. The header is encoded once per key; each token costs one JSON write and one signature.
/// Safe to use from several threads.
/// </summary>
public sealed class MappingAssertionSigner
{
    /// <summary>The JOSE <c>typ</c> of mapping assertions.</summary>
    public const string TokenType = "mimi-mapping+jwt";

    /// <summary>The only JWS algorithm used.</summary>
    public const string Algorithm = "ES256";

    private const int SignatureLength = 64;

    // The payload is base64url-encoded, so HTML-sensitive characters ('+' in tel: URIs) need no escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly int EncodedSignatureLength = Base64Url.GetEncodedLength(SignatureLength);

    private readonly ECDsa _key;
    private readonly byte[] _encodedHeader;

    /// <summary>Creates a signer for <paramref name="issuer"/> (the authority's URL, claim <c>iss</c>) using the ring's current key.</summary>
    public MappingAssertionSigner(string issuer, MappingAssertionKeyRing keyRing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentNullException.ThrowIfNull(keyRing);
        Issuer = issuer;
        KeyId = keyRing.Current.KeyId;
        _key = keyRing.SigningKey;
        var header = $$"""{"alg":"{{Algorithm}}","typ":"{{TokenType}}","kid":"{{KeyId}}"}""";
        _encodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)));
    }

    /// <summary>The <c>iss</c> of every assertion.</summary>
    public string Issuer { get; }

    /// <summary>The <c>kid</c> of every assertion.</summary>
    public string KeyId { get; }

    /// <summary>Signs <paramref name="claims"/> into a compact JWS.</summary>
    public string Sign(MappingAssertionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.ExpiresAt <= claims.IssuedAt)
        {
            throw new ArgumentException("exp must be later than iat.", nameof(claims));
        }

        var payload = new ArrayBufferWriter<byte>(384);
        WritePayload(payload, Issuer, claims);

        var signingInputLength = _encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payload.WrittenCount);
        var tokenLength = signingInputLength + 1 + EncodedSignatureLength;
        var buffer = ArrayPool<byte>.Shared.Rent(tokenLength);
        try
        {
            var token = buffer.AsSpan(0, tokenLength);
            _encodedHeader.CopyTo(token);
            token[_encodedHeader.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload.WrittenSpan, token[(_encodedHeader.Length + 1)..]);

            Span<byte> signature = stackalloc byte[SignatureLength];
            _key.SignData(token[..signingInputLength], signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            token[signingInputLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature, token[(signingInputLength + 1)..]);
            return Encoding.ASCII.GetString(token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Rebuilds a compact JWS from its parts: the encoded protected header as signed, the claims (with the issuer
    /// they were signed with) and the raw r‖s signature. Gives back exactly what <see cref="Sign"/> returned when the
    /// parts are those it used; lets a holder keep 64 signature bytes per assertion instead of the whole token.
    /// </summary>
    public static string Assemble(string encodedHeader, string issuer, MappingAssertionClaims claims, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(encodedHeader);
        ArgumentNullException.ThrowIfNull(claims);
        if (signature.Length != SignatureLength)
        {
            throw new ArgumentException($"An ES256 signature is {SignatureLength} bytes.", nameof(signature));
        }

        var payload = new ArrayBufferWriter<byte>(384);
        WritePayload(payload, issuer, claims);
        var length = encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payload.WrittenCount) + 1 + EncodedSignatureLength;
        var buffer = ArrayPool<char>.Shared.Rent(length);
        try
        {
            var chars = buffer.AsSpan(0, length);
            encodedHeader.CopyTo(chars);
            var at = encodedHeader.Length;
            chars[at++] = '.';
            at += Base64Url.EncodeToChars(payload.WrittenSpan, chars[at..]);
            chars[at++] = '.';
            Base64Url.EncodeToChars(signature, chars[at..]);
            return new string(chars);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static void WritePayload(IBufferWriter<byte> payload, string issuer, MappingAssertionClaims claims)
    {
        using var writer = new Utf8JsonWriter(payload, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("iss", issuer);
        writer.WriteString("sub", claims.Sii);
        writer.WriteString("ssi", claims.Ssi);
        writer.WriteString("provider", claims.Provider);
        writer.WriteStartArray("tags");
        for (var i = 0; i < claims.Tags.Count; i++)
        {
            writer.WriteStringValue(claims.Tags[i]);
        }

        writer.WriteEndArray();
        writer.WriteNumber("iat", claims.IssuedAt.ToUnixTimeSeconds());
        writer.WriteNumber("exp", claims.ExpiresAt.ToUnixTimeSeconds());
        writer.WriteNumber("log_index", claims.LogIndex);
        writer.WriteString("cred", claims.CredentialSerial);
        writer.WriteEndObject();
    }
}
