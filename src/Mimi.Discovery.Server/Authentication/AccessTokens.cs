using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// Short-lived access tokens (JWT). They are only ever validated by this service, so they are HMAC-signed
/// (HS256) with a key shared by the replicas: validation on every call costs a hash, not an ECDSA verification.
/// </summary>
internal sealed class AccessTokens(ServiceKeys keys, IOptions<AuthorityOptions> authority, IOptions<ClientAuthenticationOptions> options, TimeProvider time)
{
    public const string Audience = "mimi-discovery";
    public const string RoleClaim = "role";
    public const string ProviderRole = "provider";
    public const string OperatorRole = "operator";
    public const string HostedClientRole = "client";
    public const string UserClaim = "user";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials = new(keys.TokenSigningKey, SecurityAlgorithms.HmacSha256);

    public (string Token, TimeSpan Lifetime) Issue(ClientEntry client)
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
        };
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
                // Suspension takes effect for tokens already issued: the directory is consulted on every call.
                var directory = context.HttpContext.RequestServices.GetRequiredService<ClientDirectory>();
                var subject = context.Principal?.FindFirstValue("sub");
                if (subject is null || !directory.IsActive(subject))
                {
                    context.Fail("The client is unknown or suspended.");
                }

                return Task.CompletedTask;
            },
        };
    }
}

/// <summary>Who the caller is, read from the validated access token.</summary>
internal static class CallerExtensions
{
    public static string ClientId(this ClaimsPrincipal user) => user.FindFirstValue("sub") ?? throw new InvalidOperationException("No subject on an authenticated principal.");

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(AccessTokens.OperatorRole);

    /// <summary>The hosted user a client token belongs to (hosted-client policy only).</summary>
    public static string HostedUser(this ClaimsPrincipal user) =>
        user.FindFirstValue(AccessTokens.UserClaim) ?? throw new InvalidOperationException("No user claim on a hosted client's principal.");

    /// <summary>The source provider domain of an authenticated peer request (peer policy only).</summary>
    public static string PeerDomain(this ClaimsPrincipal user) => user.ClientId();
}
