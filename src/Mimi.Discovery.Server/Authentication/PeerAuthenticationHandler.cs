using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// Authenticates provider-to-provider MIMI requests (<see cref="PeerRequestToken"/>): the source domain's signature
/// with a key the discovery service vouches for, addressed to this provider, for this method, target and body, fresh,
/// and never replayed. The principal's name is the source domain, its role <see cref="Role"/>.
/// </summary>
/// <remarks>Read with <see cref="CompactJws"/> like client assertions, and for the same reason: peers may sign with EdDSA.</remarks>
internal sealed class PeerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> monitor,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    PeerKeys keys,
    ClientAssertionStore jtis,
    IOptions<DeliveryOptions> delivery,
    IOptions<ClientAuthenticationOptions> authentication,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(monitor, loggerFactory, encoder)
{
    public const string SchemeName = "MimiPeer";
    public const string Role = "peer";
    private const int MaxTokenLength = 8 * 1024;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        var prefix = PeerRequestToken.Scheme + " ";
        if (header is null || !header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header[prefix.Length..].Trim();
        if (token.Length > MaxTokenLength)
        {
            return AuthenticateResult.Fail("The Mimi-Peer token is too long.");
        }

        if (!CompactJws.TrySplit(token, out var firstDot, out var secondDot) || !CompactJws.TryDecodeJson(token.AsSpan(0, firstDot), out var headerJson))
        {
            return AuthenticateResult.Fail("The Mimi-Peer token is not a compact JWS with a JSON header.");
        }

        using (headerJson)
        {
            if (!CompactJws.TryDecodeJson(token.AsSpan(firstDot + 1, secondDot - firstDot - 1), out var payloadJson))
            {
                return AuthenticateResult.Fail("The Mimi-Peer token payload is not a JSON object.");
            }

            using (payloadJson)
            {
                return await ValidateAsync(token, secondDot, new JsonDocumentPair(headerJson.RootElement, payloadJson.RootElement));
            }
        }
    }

    private async Task<AuthenticateResult> ValidateAsync(string token, int secondDot, JsonDocumentPair jws)
    {
        var alg = UntrustedJson.Text(jws.Header, "alg");
        var kid = UntrustedJson.Text(jws.Header, "kid");
        var typ = UntrustedJson.Text(jws.Header, "typ");
        var iss = UntrustedJson.Text(jws.Payload, "iss");
        var aud = UntrustedJson.Text(jws.Payload, "aud");
        var htm = UntrustedJson.Text(jws.Payload, "htm");
        var htu = UntrustedJson.Text(jws.Payload, "htu");
        var bh = UntrustedJson.Text(jws.Payload, "bh");
        var jti = UntrustedJson.Text(jws.Payload, "jti");
        if (typ != PeerRequestToken.Type || alg is not ("ES256" or "EdDSA") || kid is null)
        {
            return AuthenticateResult.Fail($"The Mimi-Peer token must have typ '{PeerRequestToken.Type}', alg ES256 or EdDSA, and a kid.");
        }

        if (iss is null || aud != delivery.Value.HostedDomain)
        {
            return AuthenticateResult.Fail($"The Mimi-Peer token must name its source domain (iss) and this provider, '{delivery.Value.HostedDomain}', as aud.");
        }

        var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (Request.PathBase + Request.Path + Request.QueryString).ToString();
        if (htm != Request.Method || htu != target)
        {
            return AuthenticateResult.Fail("The Mimi-Peer token was made for another request (htm/htu do not match the method and target).");
        }

        var skew = authentication.Value.ClockSkew;
        var now = time.GetUtcNow();
        if (!CompactJws.TryTime(jws.Payload, "exp", out var exp) || !CompactJws.TryTime(jws.Payload, "iat", out var iat)
            || exp + skew < now || iat - skew > now || exp - iat > PeerRequestToken.MaxLifetime)
        {
            return AuthenticateResult.Fail($"The Mimi-Peer token must carry iat and exp, be current, and live at most {PeerRequestToken.MaxLifetime.TotalSeconds:0} s.");
        }

        if (jti is not { Length: > 0 and <= 256 })
        {
            return AuthenticateResult.Fail("The Mimi-Peer token must carry a jti of 1 to 256 characters.");
        }

        var key = await keys.FindAsync(iss, kid, Context.RequestAborted);
        if (key is null || key.Algorithm != alg)
        {
            return AuthenticateResult.Fail($"'{iss}' has no active key '{kid}' at the discovery service (unknown or suspended provider, or a retired key).");
        }

        var signature = new byte[CompactJws.SignatureLength];
        if (!CompactJws.TryDecodeSignature(token.AsSpan(secondDot + 1), signature) || !key.Verify(CompactJws.SigningInput(token, secondDot), signature))
        {
            return AuthenticateResult.Fail("The Mimi-Peer token signature does not verify.");
        }

        if (bh is null || !await BodyMatchesAsync(bh))
        {
            return AuthenticateResult.Fail("The request body does not match the Mimi-Peer token's body hash (bh).");
        }

        if (!await jtis.TryRecordAsync("peer:" + iss, jti, exp + skew, Context.RequestAborted))
        {
            return AuthenticateResult.Fail("The Mimi-Peer token was used before (replay).");
        }

        var identity = new ClaimsIdentity([new Claim("sub", iss), new Claim(AccessTokens.RoleClaim, Role)], SchemeName, "sub", AccessTokens.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private async Task<bool> BodyMatchesAsync(string expected)
    {
        // Bodies are bounded by the request size limit; buffer so the endpoint can read it again.
        Request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await Request.Body.ReadAsync(buffer, Context.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        Request.Body.Position = 0;
        var actual = Encoding.ASCII.GetBytes(System.Buffers.Text.Base64Url.EncodeToString(hash.GetHashAndReset()));
        return CryptographicOperations.FixedTimeEquals(actual, Encoding.ASCII.GetBytes(expected));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message ?? $"This endpoint needs an 'Authorization: {PeerRequestToken.Scheme}' request token from a peer provider.";
        Response.Headers.WWWAuthenticate = PeerRequestToken.Scheme;
        // The same problem type as every other 401 (README, "Errors"), so a client handles one kind of refusal.
        await Problems.Create(StatusCodes.Status401Unauthorized, ProblemKinds.Unauthenticated, "Peer authentication failed.", failure)
            .ExecuteAsync(Context);
    }

    private readonly record struct JsonDocumentPair(System.Text.Json.JsonElement Header, System.Text.Json.JsonElement Payload);
}
