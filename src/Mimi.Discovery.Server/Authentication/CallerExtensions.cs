using System.Security.Claims;

namespace Mimi.Discovery.Server.Authentication;

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
