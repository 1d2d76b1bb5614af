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

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials = new(keys.TokenSigningKey, SecurityAlgorithms.HmacSha256);

    public (string Token, TimeSpan Lifetime) Issue(ClientEntry client)
    {
        var now = time.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = authority.Value.Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = client.Id,
                [RoleClaim] = client.Role == ClientRole.Operator ? OperatorRole : ProviderRole,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
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
}
