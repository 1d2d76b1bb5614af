using System.Security.Cryptography;
using System.Text.Json;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Authority;

/// <summary>
/// Verifies mapping assertions against a JWK set: <c>alg</c> ES256, <c>typ</c>
/// <c>mimi-mapping+jwt</c>, a known <c>kid</c>, the signature, the issuer, and <c>exp</c>/<c>iat</c>
/// with a small clock skew. Outcomes are values, not exceptions.
/// </summary>
/// <remarks>
/// Through <see cref="CompactJws"/>, as <see cref="MappingAssertionSigner"/>: the client library verifies every
/// assertion of a lookup answer with this class and carries no JOSE library.
/// </remarks>
public sealed class MappingAssertionVerifier : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);
    private readonly string _issuer;
    private readonly TimeSpan _clockSkew;

    /// <summary>Creates a verifier for assertions from <paramref name="issuer"/> signed by keys in <paramref name="jwks"/>.</summary>
    /// <param name="jwks">The authority's published keys.</param>
    /// <param name="issuer">The expected <c>iss</c>.</param>
    /// <param name="clockSkew">Tolerance for <c>exp</c> and <c>iat</c>; one minute when null.</param>
    public MappingAssertionVerifier(JwksDocument jwks, string issuer, TimeSpan? clockSkew = null)
    {
        ArgumentNullException.ThrowIfNull(jwks);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        _issuer = issuer;
        _clockSkew = clockSkew ?? TimeSpan.FromMinutes(1);
        foreach (var key in jwks.Keys)
        {
            if (!_keys.ContainsKey(key.KeyId))
            {
                _keys.Add(key.KeyId, key.CreateVerificationKey());
            }
        }
    }

    /// <summary>Verifies <paramref name="token"/> at time <paramref name="now"/>.</summary>
    public MappingAssertionVerification Verify(string token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!CompactJws.TrySplit(token, out var firstDot, out var secondDot))
        {
            return Failure(MappingAssertionStatus.Malformed);
        }

        if (!CompactJws.TryDecode(token.AsSpan(0, firstDot), out var headerJson) ||
            !TryReadHeader(headerJson, out var alg, out var typ, out var kid, out var hasCrit))
        {
            return Failure(MappingAssertionStatus.Malformed);
        }

        if (alg != MappingAssertionSigner.Algorithm || hasCrit)
        {
            return Failure(MappingAssertionStatus.UnsupportedAlgorithm, kid);
        }

        if (typ != MappingAssertionSigner.TokenType)
        {
            return Failure(MappingAssertionStatus.WrongType, kid);
        }

        if (kid is null || !_keys.TryGetValue(kid, out var key))
        {
            return Failure(MappingAssertionStatus.UnknownKey, kid);
        }

        // The signature is checked before the payload is parsed: a forged token costs no JSON work.
        Span<byte> signature = stackalloc byte[CompactJws.SignatureLength];
        if (!CompactJws.TryDecodeSignature(token.AsSpan(secondDot + 1), signature))
        {
            return Failure(MappingAssertionStatus.BadSignature, kid);
        }

        var signingInput = CompactJws.SigningInput(token, secondDot);
        if (!key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return Failure(MappingAssertionStatus.BadSignature, kid);
        }

        if (!CompactJws.TryDecode(token.AsSpan(firstDot + 1, secondDot - firstDot - 1), out var payloadJson) ||
            !TryReadClaims(payloadJson, out var issuer, out var claims))
        {
            return Failure(MappingAssertionStatus.Malformed, kid);
        }

        if (issuer != _issuer)
        {
            return Failure(MappingAssertionStatus.WrongIssuer, kid);
        }

        if (claims.ExpiresAt <= now - _clockSkew)
        {
            return Failure(MappingAssertionStatus.Expired, kid);
        }

        if (claims.IssuedAt > now + _clockSkew)
        {
            return Failure(MappingAssertionStatus.NotYetValid, kid);
        }

        return new MappingAssertionVerification(MappingAssertionStatus.Valid, claims, kid);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private static MappingAssertionVerification Failure(MappingAssertionStatus status, string? kid = null) => new(status, null, kid);

    private static bool TryReadHeader(byte[] json, out string? alg, out string? typ, out string? kid, out bool hasCrit)
    {
        alg = typ = kid = null;
        hasCrit = false;
        if (!UntrustedJson.TryParse(json, out var document))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            alg = OptionalString(root, "alg");
            typ = OptionalString(root, "typ");
            kid = OptionalString(root, "kid");
            hasCrit = root.TryGetProperty("crit", out _);
            return true;
        }
    }

    private static bool TryReadClaims(byte[] json, out string? issuer, out MappingAssertionClaims claims)
    {
        issuer = null;
        claims = null!;
        if (!UntrustedJson.TryParse(json, out var document))
        {
            return false;
        }

        try
        {
            using var owned = document;
            var root = document.RootElement;
            issuer = root.GetProperty("iss").GetString();
            var tagsElement = root.GetProperty("tags");
            var tags = new List<string>(tagsElement.GetArrayLength());
            foreach (var tag in tagsElement.EnumerateArray())
            {
                tags.Add(tag.GetString() ?? throw new InvalidOperationException("null tag"));
            }

            claims = new MappingAssertionClaims(
                RequiredString(root, "sub"),
                RequiredString(root, "ssi"),
                RequiredString(root, "provider"),
                tags,
                DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("iat").GetInt64()),
                DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64()),
                root.GetProperty("log_index").GetInt64(),
                RequiredString(root, "cred"),
                ReadTransparency(root));
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>The claims of a format-2 credential: all four or none (a credential logged before carries none).</summary>
    private static AssertionTransparency? ReadTransparency(JsonElement root)
    {
        var present = 0;
        foreach (var name in (ReadOnlySpan<string>)["attestation", "vrf_kid", "vrf_proof", "log_opening"])
        {
            present += root.TryGetProperty(name, out _) ? 1 : 0;
        }

        if (present == 0)
        {
            return null;
        }

        var attestation = RequiredString(root, "attestation");
        var kid = RequiredString(root, "vrf_kid");
        var proof = System.Buffers.Text.Base64Url.DecodeFromChars(RequiredString(root, "vrf_proof"));
        var opening = System.Buffers.Text.Base64Url.DecodeFromChars(RequiredString(root, "log_opening"));
        if (attestation is not ("provider" or "one-time-code") || proof.Length != IdentifierIndexProof.ProofLength || opening.Length != 32)
        {
            throw new FormatException("Malformed transparency claims.");
        }

        return new AssertionTransparency(attestation, kid, proof, opening);
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string RequiredString(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new InvalidOperationException($"Claim '{name}' is null.");
}
