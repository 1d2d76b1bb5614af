namespace Mimi.Discovery.Client;

/// <summary>Which audit events to read; every filter that is set must match.</summary>
/// <param name="Actor">Acts by this client id.</param>
/// <param name="Target">Acts on this target, such as <c>provider:example.com</c>.</param>
/// <param name="Action">Acts of this action, such as <c>provider.suspend</c>.</param>
/// <param name="Since">Acts at or after this time.</param>
/// <param name="Until">Acts at or before this time.</param>
/// <param name="Limit">Events per page (1 to 500; the service's default 100 when null).</param>
public sealed record AuditEventFilter(
    string? Actor = null,
    string? Target = null,
    string? Action = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    int? Limit = null);
