using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// Short-lived access tokens (JWT). They are only ever validated by this service, so they are HMAC-signed
/// (HS256) with a key shared by the replicas: validation on every call costs a hash, not an ECDSA verification.
/// </summary>
/// <remarks>
/// Made and checked by Microsoft.IdentityModel (JwtBearer), which supports HS256; the tokens signed with a client's or
/// the authority's key (ES256, EdDSA) go through <see cref="Mimi.Discovery.Authority.CompactJws"/> instead.
/// </remarks>
internal sealed class AccessTokens(ServiceKeys keys, IOptions<AuthorityOptions> authority, IOptions<ClientAuthenticationOptions> options, TimeProvider time)
{
    public const string Audience = "mimi-discovery";
    public const string RoleClaim = "role";
    public const string ProviderRole = "provider";
    public const string OperatorRole = "operator";
    public const string HostedClientRole = "client";
    public const string UserClaim = "user";

    /// <summary>The client's token generation at issuance (<see cref="ClientEntry.TokenGeneration"/>).</summary>
    public const string GenerationClaim = "gen";

    /// <summary>The kid of the enrolled key whose client assertion the token was exchanged for.</summary>
    public const string AssertionKeyClaim = "akid";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials = new(keys.TokenSigningKey, SecurityAlgorithms.HmacSha256);

    /// <summary>A token for <paramref name="client"/>, bound to its current token generation and to the key it authenticated with.</summary>
    public (string Token, TimeSpan Lifetime) Issue(ClientEntry client, string? keyId = null)
    {
        var now = time.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = client.Id,
            [RoleClaim] = client.Role switch
            {
                ClientRole.Operator => OperatorRole,
                ClientRole.HostedClient => HostedClientRole,
                _ => ProviderRole,
            },
            ["jti"] = Guid.NewGuid().ToString("N"),
            [GenerationClaim] = client.TokenGeneration,
        };
        if (keyId is not null)
        {
            claims[AssertionKeyClaim] = keyId;
        }

        if (client.UserUri is { } user)
        {
            claims[UserClaim] = user;
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = authority.Value.Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = _credentials,
            Claims = claims,
        });
        return (token, lifetime);
    }

    /// <summary>JwtBearer settings: our issuer, audience and key, HS256 only, and a suspension check per call.</summary>
    public static void ConfigureBearer(JwtBearerOptions bearer, ServiceKeys keys, AuthorityOptions authority, ClientAuthenticationOptions options)
    {
        bearer.MapInboundClaims = false;
        bearer.RequireHttpsMetadata = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = authority.Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = keys.TokenSigningKey,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = options.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = RoleClaim,
            RequireExpirationTime = true,
        };
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                // Suspension takes effect for tokens already issued: the directory is consulted on every call. A token
                // from before a suspension carries an older generation, so it stays dead after reinstatement; one
                // exchanged for an assertion of a key since retired (perhaps compromised) dies with the key.
                var directory = context.HttpContext.RequestServices.GetRequiredService<ClientDirectory>();
                var subject = context.Principal?.FindFirstValue("sub");
                if (subject is null || directory.Find(subject) is not { Active: true } client)
                {
                    context.Fail("The client is unknown or suspended.");
                }
                else if (Generation(context.Principal!) != client.TokenGeneration)
                {
                    context.Fail("The token was issued before the client's suspension; get a new one.");
                }
                else if (context.Principal!.FindFirstValue(AssertionKeyClaim) is { } kid && !client.Keys.ContainsKey(kid))
                {
                    context.Fail("The token was issued for a key the client has retired since; get a new one.");
                }

                return Task.CompletedTask;
            },
        };
    }

    // Tokens issued before generations existed carry none: generation 0.
    private static long Generation(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(GenerationClaim), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : 0;
}
