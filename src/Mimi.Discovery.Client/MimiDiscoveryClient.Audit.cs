using System.Globalization;
using System.Text;

namespace Mimi.Discovery.Client;

/// <summary>The audit trail (<c>/v1/audit-events</c>): the operator reads every act, a provider the acts about itself.</summary>
public sealed partial class MimiDiscoveryClient
{
    /// <summary>One page of audit events, newest first; pass its <see cref="AuditEventsPage.Next"/> as <paramref name="after"/> for the next.</summary>
    public Task<AuditEventsPage> GetAuditEventsAsync(AuditEventFilter? filter = null, string? after = null, CancellationToken ct = default)
    {
        var query = new StringBuilder("/v1/audit-events");
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Append(query.Length == "/v1/audit-events".Length ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Add("actor", filter?.Actor);
        Add("target", filter?.Target);
        Add("action", filter?.Action);
        Add("since", filter?.Since?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add("until", filter?.Until?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add("limit", filter?.Limit?.ToString(CultureInfo.InvariantCulture));
        Add("after", after);
        return SendAsync(HttpMethod.Get, query.ToString(), ClientJson.Default.AuditEventsPage, ct);
    }

    /// <summary>Every audit event <paramref name="filter"/> selects, newest first, following the pages.</summary>
    public async IAsyncEnumerable<AuditEventInfo> ListAuditEventsAsync(AuditEventFilter? filter = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string? after = null;
        do
        {
            var page = await GetAuditEventsAsync(filter, after, ct);
            foreach (var e in page.Events)
            {
                yield return e;
            }

            after = page.Next;
        }
        while (after is not null);
    }
}
