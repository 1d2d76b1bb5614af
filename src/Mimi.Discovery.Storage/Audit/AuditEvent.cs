using System.Text.Json;

namespace Mimi.Discovery.Storage;

/// <summary>What an administrative act did, as the audit trail records it.</summary>
/// <param name="Action">A dotted kebab-case name from <see cref="AuditActions"/>.</param>
/// <param name="Target">What the act changed: <c>provider:DOMAIN</c>, <c>credential:SERIAL</c>, <c>mapping:SERIAL</c>,
/// <c>user:URI</c>, <c>client:URI</c>, <c>import:ID</c>, <c>oprf-key</c>, <c>console-session:ID-PREFIX</c>.</param>
/// <param name="Owner">The provider domain whose enrolment or users the act concerns (that provider may read the event); null for service-wide acts.</param>
/// <param name="Before">The changed fields before the act (a JSON object), or null when the act created its target.</param>
/// <param name="After">The changed fields after the act (a JSON object), or null when the act removed its target. Never a secret.</param>
public sealed record AuditEvent(string Action, string Target, string? Owner, JsonElement? Before, JsonElement? After);
