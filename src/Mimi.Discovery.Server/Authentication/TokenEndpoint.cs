using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>OAuth 2.0 token endpoint (client credentials with a private_key_jwt client assertion) and its metadata.</summary>
internal static class TokenEndpoint
{
    public const string Path = "/oauth2/token";
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, IssueTokenAsync)
            .WithName("IssueToken")
            .WithSummary("Exchanges a signed client assertion (RFC 7523 private_key_jwt) for a short-lived access token.")
            .WithTags("Authentication")
            .DisableAntiforgery()
            .AllowAnonymous();

        app.MapGet("/.well-known/oauth-authorization-server", GetMetadata)
            .WithName("GetAuthorizationServerMetadata")
            .WithSummary("RFC 8414 authorization server metadata.")
            .WithTags("Authentication")
            .AllowAnonymous();
        return app;
    }

    public static string TokenEndpointUrl(AuthorityOptions authority) => authority.Issuer.TrimEnd('/') + Path;

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        [FromForm(Name = "grant_type")] string? grantType,
        [FromForm(Name = "client_assertion_type")] string? clientAssertionType,
        [FromForm(Name = "client_assertion")] string? clientAssertion,
        [FromForm(Name = "client_id")] string? clientId,
        ClientAssertionValidator validator,
        AccessTokens tokens,
        IOptions<AuthorityOptions> authority,
        HttpContext context,
        CancellationToken ct)
    {
        if (grantType != "client_credentials")
        {
            return OAuthError(400, "unsupported_grant_type", "grant_type must be client_credentials.");
        }

        if (clientAssertionType != AssertionType || string.IsNullOrEmpty(clientAssertion))
        {
            return OAuthError(400, "invalid_request", $"client_assertion_type must be {AssertionType} and client_assertion must be present.");
        }

        var result = await validator.ValidateAsync(clientAssertion, clientId, TokenEndpointUrl(authority.Value), ct);
        if (result.Client is null)
        {
            if (result.Error == "invalid_client")
            {
                context.Response.Headers.WWWAuthenticate = "private_key_jwt";
            }

            return OAuthError(result.Error == "invalid_client" ? 401 : 400, result.Error, result.Description);
        }

        var (token, lifetime) = tokens.Issue(result.Client, result.KeyId);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (long)lifetime.TotalSeconds));
    }

    private static Ok<AuthorizationServerMetadata> GetMetadata(IOptions<AuthorityOptions> authority)
    {
        var issuer = authority.Value.Issuer.TrimEnd('/');
        return TypedResults.Ok(new AuthorizationServerMetadata(issuer, issuer + Path, ["private_key_jwt"], ["ES256", "EdDSA"],
            ["client_credentials"], issuer + "/.well-known/jwks.json"));
    }

    // RFC 6749 §5.2 error codes, carried inside the one error contract (problem details) as the "error" member.
    private static ProblemHttpResult OAuthError(int status, string error, string description) =>
        Problems.Create(status, OAuthKind(error), "Token request refused.", description,
            new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });

    private static string OAuthKind(string error) => error switch
    {
        "invalid_client" => ProblemKinds.OAuthInvalidClient,
        "invalid_grant" => ProblemKinds.OAuthInvalidGrant,
        "unsupported_grant_type" => ProblemKinds.OAuthUnsupportedGrantType,
        _ => ProblemKinds.OAuthInvalidRequest,
    };
}
