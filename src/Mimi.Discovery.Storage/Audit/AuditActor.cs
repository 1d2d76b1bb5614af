namespace Mimi.Discovery.Storage;

/// <summary>Who did an administrative act: the client id and role of the caller, and the request it came in.</summary>
/// <param name="Id">The caller's client id (the operator's client id, a provider domain, a client URI), or <c>service</c>.</param>
/// <param name="Role">The caller's role: <c>operator</c>, <c>provider</c>, or <c>service</c> for the service's own acts.</param>
/// <param name="RequestId">The request's id (its trace id), to find the act in logs and traces; null without a request.</param>
public sealed record AuditActor(string Id, string Role, string? RequestId)
{
    /// <summary>The service itself, for an act without a caller (start-up, seeding, a command run beside the service).</summary>
    public static AuditActor Service { get; } = new("service", "service", null);
}
