using System.Text.Json;
using System.Text.Json.Serialization;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Audit;

/// <summary>A page of the audit trail, newest first; <c>next</c> is the <c>after</c> cursor of the following page, null on the last.</summary>
internal sealed record AuditEventsView(
    AuditEventView[] Events,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>One administrative act: when, who, what, on what, in which request, and the changed fields before and after.</summary>
internal sealed record AuditEventView(
    long Id,
    DateTime Time,
    AuditActorView Actor,
    string Action,
    string Target,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Owner,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RequestId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Before,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? After)
{
    public static AuditEventView From(AuditEventRecord e) => new(e.Id, e.Time.UtcDateTime, new AuditActorView(e.Actor.Id, e.Actor.Role), e.Event.Action,
        e.Event.Target, e.Event.Owner, e.Actor.RequestId, e.Event.Before, e.Event.After);
}

/// <summary>Who did an act: client id and role (<c>operator</c>, <c>provider</c>, <c>service</c>).</summary>
internal sealed record AuditActorView(string Id, string Role);
