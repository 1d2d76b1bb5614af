using System.Diagnostics.Metrics;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Consent;

/// <summary>
/// Consent's instruments (meter <c>Mimi.Discovery.Consent</c>): <c>requestConsent</c> from peers by what became of
/// it. The outcome is seen only here; the requester is answered the same either way.
/// </summary>
internal sealed class ConsentMetrics
{
    public const string MeterName = "Mimi.Discovery.Consent";

    private readonly Counter<long> _requests;

    public ConsentMetrics(IMeterFactory meters) =>
        _requests = meters.Create(MeterName).CreateCounter<long>("mimi.consent.requests", "{request}", "Consent requests (and cancellations) received from peers, by outcome.");

    public void Received(IncomingOutcome outcome) => _requests.Add(1, new KeyValuePair<string, object?>("mimi.consent.outcome", OutcomeName(outcome)));

    public static string OutcomeName(IncomingOutcome outcome) => outcome switch
    {
        IncomingOutcome.Recorded => "recorded",
        IncomingOutcome.Duplicate => "duplicate",
        IncomingOutcome.UnknownTarget => "unknown-target",
        IncomingOutcome.Blocked => "blocked",
        IncomingOutcome.OverLimit => "over-limit",
        IncomingOutcome.NothingToCancel => "nothing-to-cancel",
        _ => "other",
    };
}
