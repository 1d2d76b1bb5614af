using System.Diagnostics;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Audit;

/// <summary>Who does an administrative act, read from the request that does it.</summary>
internal static class AuditActors
{
    /// <summary>
    /// The caller's client id and role, and the request id: the trace id when the request has an <see cref="Activity"/>
    /// (so the act is found in traces and logs by it; a caller that sends <c>traceparent</c> chooses it), else the
    /// server's request identifier.
    /// </summary>
    public static AuditActor From(HttpContext http)
    {
        var user = http.User;
        var role = user.IsInRole(AccessTokens.OperatorRole) ? AccessTokens.OperatorRole
            : user.IsInRole(AccessTokens.ProviderRole) ? AccessTokens.ProviderRole
            : user.IsInRole(AccessTokens.HostedClientRole) ? AccessTokens.HostedClientRole
            : "unknown";
        return new AuditActor(user.ClientId(), role, RequestId(http));
    }

    /// <summary>The request id an act of this request is recorded with (see <see cref="From"/>).</summary>
    public static string RequestId(HttpContext http) => Activity.Current is { } activity ? activity.TraceId.ToHexString() : http.TraceIdentifier;
}
