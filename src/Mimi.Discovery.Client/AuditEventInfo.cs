using System.Text.Json;

namespace Mimi.Discovery.Client;

/// <summary>One administrative act in the audit trail.</summary>
/// <param name="Id">Increasing with every act.</param>
/// <param name="Time">When it was done.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Action">What kind of act, such as <c>provider.suspend</c>.</param>
/// <param name="Target">What it changed, such as <c>provider:example.com</c>.</param>
/// <param name="Owner">The provider the act concerns; null for service-wide acts.</param>
/// <param name="RequestId">The request it came in (its trace id), to find it in logs and traces.</param>
/// <param name="Before">The changed fields before the act; null when the act created its target.</param>
/// <param name="After">The changed fields after the act; null when the act removed its target.</param>
public sealed record AuditEventInfo(long Id, DateTimeOffset Time, AuditActorInfo Actor, string Action, string Target, string? Owner, string? RequestId,
    JsonElement? Before, JsonElement? After);
