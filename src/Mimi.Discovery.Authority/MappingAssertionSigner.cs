using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mimi.Discovery.Authority;

/// <summary>
/// Signs mapping assertions: compact JWS (RFC 7515), ES256 with the raw r‖s signature, protected
/// header <c>{"alg":"ES256","typ":"mimi-mapping+jwt","kid":…}</c> and claims <c>iss</c>, <c>sub</c>
/// (the SII), <c>ssi</c>, <c>provider</c>, <c>tags</c>, <c>iat</c>, <c>exp</c>, <c>log_index</c>,
/// <c>cred</c>, and for a format-2 credential <c>attestation</c>, <c>vrf_kid</c>, <c>vrf_proof</c> and <c>log_opening</c>
/// (<see cref="AssertionTransparency"/>). The header is encoded once per key; each token costs one JSON write and one signature.
/// Safe to use from several threads.
/// </summary>
/// <remarks>
/// Through <see cref="CompactJws"/> like every JWS we sign, not Microsoft.IdentityModel: lookups rebuild an assertion
/// per answer (<see cref="Assemble"/>, measured by the lookup benchmark's "index probe + assertion rebuild"), and
/// this library and the client carry no JOSE dependency.
/// </remarks>
public sealed class MappingAssertionSigner
{
    /// <summary>The JOSE <c>typ</c> of mapping assertions.</summary>
    public const string TokenType = "mimi-mapping+jwt";

    /// <summary>The only JWS algorithm used.</summary>
    public const string Algorithm = "ES256";

    // The payload is base64url-encoded, so HTML-sensitive characters ('+' in tel: URIs) need no escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly byte[] _encodedHeader;
    private readonly JwsSigner _sign;

    /// <summary>Creates a signer for <paramref name="issuer"/> (the authority's URL, claim <c>iss</c>) using the ring's current key.</summary>
    public MappingAssertionSigner(string issuer, MappingAssertionKeyRing keyRing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentNullException.ThrowIfNull(keyRing);
        Issuer = issuer;
        KeyId = keyRing.Current.KeyId;
        var key = keyRing.SigningKey;
        _sign = (input, signature) => key.SignData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        _encodedHeader = CompactJws.EncodePart(Encoding.UTF8.GetBytes($$"""{"alg":"{{Algorithm}}","typ":"{{TokenType}}","kid":"{{KeyId}}"}"""));
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
        return CompactJws.Create(_encodedHeader, payload.WrittenSpan, _sign);
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
        var payload = new ArrayBufferWriter<byte>(384);
        WritePayload(payload, issuer, claims);
        return CompactJws.Assemble(encodedHeader, payload.WrittenSpan, signature);
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
        if (claims.Transparency is { } t)
        {
            writer.WriteString("attestation", t.Attestation);
            writer.WriteString("vrf_kid", t.VrfKeyId);
            writer.WriteString("vrf_proof", System.Buffers.Text.Base64Url.EncodeToString(t.VrfProof));
            writer.WriteString("log_opening", System.Buffers.Text.Base64Url.EncodeToString(t.LogOpening));
        }

        writer.WriteEndObject();
    }
}
