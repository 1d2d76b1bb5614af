using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Audit;

/// <summary>The audit trail, read: the operator sees every act, a provider the acts on its own enrolment and users.</summary>
internal static partial class AuditApi
{
    private const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit-events", GetEventsAsync).WithName("GetAuditEvents").WithTags("Audit")
            .WithSummary("Administrative acts, newest first, filtered by actor, target, action and time (RFC 3339), paged by the after cursor. "
                         + "The operator sees all; a provider the acts on its own enrolment and users.")
            .RequireAuthorization(Policies.ProviderOrOperator);
        return app;
    }

    private static async Task<Results<Ok<AuditEventsView>, ProblemHttpResult>> GetEventsAsync(
        string? actor, string? target, string? action, string? since, string? until, string? after, int? limit,
        ClaimsPrincipal user, AuditStore store, CancellationToken ct)
    {
        if (limit is { } l && l is < 1 or > AuditQuery.MaxLimit)
        {
            return Problems.InvalidRequest("limit", $"limit must be between 1 and {AuditQuery.MaxLimit} (default {DefaultLimit}).");
        }

        if (action is not null && !AuditActions.All.Contains(action))
        {
            return Problems.InvalidRequest("action", "action must be one of: " + string.Join(", ", AuditActions.All.Order(StringComparer.Ordinal)) + ".");
        }

        foreach (var (name, value) in new[] { ("actor", actor), ("target", target) })
        {
            if (value is { Length: 0 or > 512 } || (value is not null && value.Any(char.IsControl)))
            {
                return Problems.InvalidRequest(name, $"{name} must be 1 to 512 characters, none of them a control character.");
            }
        }

        if (!TryTime(since, out var from))
        {
            return Problems.InvalidRequest("since", "since must be an RFC 3339 date-time, such as 2026-12-07T20:00:00Z.");
        }

        if (!TryTime(until, out var to))
        {
            return Problems.InvalidRequest("until", "until must be an RFC 3339 date-time, such as 2026-12-07T20:00:00Z.");
        }

        long? before = null;
        if (after is not null)
        {
            if (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) || cursor < 1)
            {
                return Problems.InvalidRequest("after", "after must be the next cursor of an earlier page.");
            }

            before = cursor;
        }

        // A provider reads only the acts about itself, whatever it asks for.
        var owner = user.IsOperator() ? null : user.ClientId();
        var page = await store.QueryAsync(new AuditQuery(limit ?? DefaultLimit, actor, target, action, owner, from, to, before), ct);
        return TypedResults.Ok(new AuditEventsView([.. page.Events.Select(AuditEventView.From)],
            page.Next?.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>RFC 3339 date-times only (a date, a time and an offset): a time without an offset would mean the server's zone.</summary>
    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (text.Length > 40 || !Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        time = parsed;
        return true;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
