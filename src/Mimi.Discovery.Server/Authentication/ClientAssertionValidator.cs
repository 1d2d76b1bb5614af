using System.Text.Json;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// Validates RFC 7523 client assertions (private_key_jwt): ES256 or EdDSA, signed by an active enrolled key of the
/// client named in iss/sub, audience = our token endpoint, short lifetime, and a jti never seen before.
/// </summary>
/// <remarks>
/// Read with <see cref="CompactJws"/>, not Microsoft.IdentityModel's JsonWebTokenHandler: that has no EdDSA (Ed25519),
/// which clients may enrol; the one JWS path keeps both algorithms on the same checks.
/// </remarks>
internal sealed class ClientAssertionValidator(
    ClientDirectory directory,
    ClientAssertionStore jtis,
    IOptions<ClientAuthenticationOptions> options,
    TimeProvider time)
{
    private const int MaxAssertionLength = 8 * 1024;

    public async Task<AssertionResult> ValidateAsync(string assertion, string? clientIdParameter, string tokenEndpoint, CancellationToken ct)
    {
        if (assertion.Length > MaxAssertionLength)
        {
            return AssertionResult.Fail("invalid_client", "client_assertion is too long.");
        }

        JsonDocument? header = null;
        JsonDocument? payload = null;
        if (!CompactJws.TrySplit(assertion, out var firstDot, out var secondDot) || !CompactJws.TryDecodeJson(assertion.AsSpan(0, firstDot), out header)
            || !CompactJws.TryDecodeJson(assertion.AsSpan(firstDot + 1, secondDot - firstDot - 1), out payload))
        {
            header?.Dispose();
            return AssertionResult.Fail("invalid_client", "client_assertion is not a compact JWS with JSON header and payload.");
        }

        using (header)
        using (payload)
        {
            var alg = UntrustedJson.Text(header!.RootElement, "alg");
            var kid = UntrustedJson.Text(header.RootElement, "kid");
            var iss = UntrustedJson.Text(payload!.RootElement, "iss");
            var sub = UntrustedJson.Text(payload.RootElement, "sub");
            var jti = UntrustedJson.Text(payload.RootElement, "jti");
            if (alg is not ("ES256" or "EdDSA"))
            {
                return AssertionResult.Fail("invalid_client", "client_assertion alg must be ES256 or EdDSA.");
            }

            if (iss is null || iss != sub || (clientIdParameter is not null && clientIdParameter != iss))
            {
                return AssertionResult.Fail("invalid_client", "client_assertion iss and sub must both equal the client id.");
            }

            var client = directory.Find(iss);
            if (client is null || kid is null || !client.Keys.TryGetValue(kid, out var key) || key.Algorithm != alg)
            {
                return AssertionResult.Fail("invalid_client", "client_assertion is not signed by an active key enrolled for this client (check iss and kid).");
            }

            var signature = new byte[CompactJws.SignatureLength];
            if (!CompactJws.TryDecodeSignature(assertion.AsSpan(secondDot + 1), signature) || !key.Verify(CompactJws.SigningInput(assertion, secondDot), signature))
            {
                return AssertionResult.Fail("invalid_client", "client_assertion signature does not verify.");
            }

            if (!client.Active)
            {
                return AssertionResult.Fail("invalid_client", "this client is suspended.");
            }

            if (!HasAudience(payload.RootElement, tokenEndpoint))
            {
                return AssertionResult.Fail("invalid_client", $"client_assertion aud must be the token endpoint '{tokenEndpoint}'.");
            }

            var o = options.Value;
            var now = time.GetUtcNow();
            if (!CompactJws.TryTime(payload.RootElement, "exp", out var exp))
            {
                return AssertionResult.Fail("invalid_client", "client_assertion must carry exp.");
            }

            if (exp + o.ClockSkew < now)
            {
                return AssertionResult.Fail("invalid_client", "client_assertion has expired.");
            }

            if (exp - now > o.ClientAssertionMaxLifetime + o.ClockSkew)
            {
                return AssertionResult.Fail("invalid_client", $"client_assertion lives too long: exp may be at most {o.ClientAssertionMaxLifetime.TotalSeconds:0} s ahead.");
            }

            if ((CompactJws.TryTime(payload.RootElement, "nbf", out var nbf) && nbf - o.ClockSkew > now)
                || (CompactJws.TryTime(payload.RootElement, "iat", out var iat) && iat - o.ClockSkew > now))
            {
                return AssertionResult.Fail("invalid_client", "client_assertion is not valid yet (nbf/iat in the future).");
            }

            if (jti is not { Length: > 0 and <= 256 })
            {
                return AssertionResult.Fail("invalid_client", "client_assertion must carry a jti of 1 to 256 characters.");
            }

            if (!await jtis.TryRecordAsync(client.Id, jti, exp + o.ClockSkew, ct))
            {
                return AssertionResult.Fail("invalid_grant", "client_assertion jti was used before (replay).");
            }

            return new AssertionResult(client, "", "", kid);
        }
    }

    private static bool HasAudience(JsonElement payload, string expected)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            return aud.GetString() == expected;
        }

        return aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == expected);
    }
}
