namespace Mimi.Discovery.Client;

/// <summary>Who did an administrative act.</summary>
/// <param name="Id">The caller's client id (the operator's, a provider domain), or <c>service</c>.</param>
/// <param name="Role"><c>operator</c>, <c>provider</c> or <c>service</c>.</param>
public sealed record AuditActorInfo(string Id, string Role);
