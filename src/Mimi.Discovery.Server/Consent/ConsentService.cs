using Microsoft.Extensions.Options;
using Mimi.Discovery.Model;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Consent;

/// <summary>
/// Consent between this provider's users and everyone else: the gate the delivery core consults, what hosted users
/// ask and decide (sent to peers through the outbox, or applied here when both users are hosted here), and what peers
/// send (<c>requestConsent</c>, <c>updateConsent</c>, <c>reportAbuse</c>).
/// </summary>
internal sealed partial class ConsentService(
    ConsentStore store,
    AbuseReportStore reports,
    HostedUserStore users,
    Outbox outbox,
    IEnumerable<IQuarantineRelease> releases,
    IOptions<DeliveryOptions> delivery,
    IOptions<ConsentOptions> options,
    ConsentMetrics metrics,
    TimeProvider time,
    ILogger<ConsentService> logger) : IConsentGate
{
    public const int ListLimit = 500;

    private string HostedDomain => delivery.Value.HostedDomain;

    // ---- The gate ---------------------------------------------------------------------------------------------------

    public async Task<ConsentDecision> CheckClaimAsync(string requesterUser, string targetUser, string? roomId, CancellationToken ct)
    {
        var standing = await store.GetStandingAsync(requesterUser, targetUser, ct);
        return Decide(standing, roomId);
    }

    public async Task<bool> IsAcceptedAsync(string targetUser, string requesterUser, CancellationToken ct)
    {
        var standing = await store.GetStandingAsync(requesterUser, targetUser, ct);
        return standing.TargetMode is not null && !standing.Blocked && standing.Records.Any(r => r.State == ConsentState.Granted);
    }

    /// <summary>
    /// The decision from what the store holds. A block or an unknown target refuses; a grant for every room, or for
    /// this room, allows; a revocation or rejection refuses; then the target's mode decides, except that a grant for
    /// other rooms only says so.
    /// </summary>
    internal static ConsentDecision Decide(ConsentStanding standing, string? roomId)
    {
        if (standing.TargetMode is not { } mode || standing.Blocked)
        {
            return ConsentDecision.NoConsent;
        }

        var grantedElsewhere = false;
        var refused = false;
        foreach (var (room, state) in standing.Records)
        {
            var applies = room is null || room == roomId;
            switch (state)
            {
                case ConsentState.Granted when applies:
                    return ConsentDecision.Allowed;
                case ConsentState.Granted:
                    grantedElsewhere = true;
                    break;
                case ConsentState.Revoked or ConsentState.Rejected when applies:
                    refused = true;
                    break;
            }
        }

        if (refused)
        {
            return ConsentDecision.NoConsent;
        }

        return mode switch
        {
            ConsentMode.Open => ConsentDecision.Allowed,
            _ when grantedElsewhere => ConsentDecision.ConsentNotForRoom,
            ConsentMode.Quarantine => ConsentDecision.Quarantined,
            _ => ConsentDecision.NoConsent,
        };
    }

    // ---- What a hosted user does ------------------------------------------------------------------------------------

    /// <summary>The requester asks the target for consent; returns the state the requester now sees.</summary>
    public async Task<ConsentState> RequestAsync(ConsentPair pair, CancellationToken ct)
    {
        var local = IsHosted(pair.Target);
        var send = local ? null : Message(ConsentOperation.Request, pair, MimiEndpoint.RequestConsent, pair.Target);
        var state = await store.RequestAsync(pair, time.GetUtcNow(), send, local ? options.Value.Limits : null, ct);
        if (send is not null && state == ConsentState.Requested)
        {
            outbox.Wake();
        }

        LogRequested(logger, pair.Requester, pair.Target, local ? "local" : "queued", state);
        return state;
    }

    /// <summary>Withdraws a pending request; false when nothing was pending.</summary>
    public async Task<bool> CancelAsync(ConsentPair pair, CancellationToken ct)
    {
        var local = IsHosted(pair.Target);
        var send = local ? null : Message(ConsentOperation.Cancel, pair, MimiEndpoint.RequestConsent, pair.Target);
        var cancelled = await store.CancelAsync(pair, time.GetUtcNow(), send, local, ct);
        if (cancelled && send is not null)
        {
            outbox.Wake();
        }

        return cancelled;
    }

    /// <summary>The hosted target accepts (grants): recorded, sent to the requester's provider, held messages released.</summary>
    public async Task<bool> AcceptAsync(ConsentPair pair, CancellationToken ct)
    {
        if (!await DecideAsync(pair, ConsentState.Granted, send: true, ct))
        {
            return false;
        }

        foreach (var release in releases)
        {
            await release.ReleaseAsync(pair.Target, pair.Requester, ct);
        }

        return true;
    }

    /// <summary>The hosted target rejects a pending request: recorded here, nothing is sent.</summary>
    public Task<bool> RejectAsync(ConsentPair pair, CancellationToken ct) => DecideAsync(pair, ConsentState.Rejected, send: false, ct);

    /// <summary>The hosted target revokes: recorded, and sent unless <see cref="ConsentOptions.SendRevocations"/> is off.</summary>
    public Task<bool> RevokeAsync(ConsentPair pair, CancellationToken ct) => DecideAsync(pair, ConsentState.Revoked, options.Value.SendRevocations, ct);

    private async Task<bool> DecideAsync(ConsentPair pair, ConsentState decision, bool send, CancellationToken ct)
    {
        var local = IsHosted(pair.Requester);
        var message = send && !local
            ? Message(decision == ConsentState.Granted ? ConsentOperation.Grant : ConsentOperation.Revoke, pair, MimiEndpoint.UpdateConsent, pair.Requester)
            : null;
        var outcome = await store.DecideAsync(pair, decision, time.GetUtcNow(), message, applyLocally: send && local, ct);
        if (outcome != DecisionOutcome.Applied)
        {
            return false;
        }

        if (message is not null)
        {
            outbox.Wake();
        }

        LogDecided(logger, pair.Target, pair.Requester, decision);
        return true;
    }

    public Task BlockAsync(string target, string blocked, CancellationToken ct) => store.BlockAsync(target, blocked, time.GetUtcNow(), ct);

    public Task<bool> SetModeAsync(string user, ConsentMode mode, CancellationToken ct) => users.SetConsentModeAsync(user, mode, ct);

    /// <summary>Reports abuse in a room: stored here when the room is hosted here, otherwise sent to the room's provider.</summary>
    public async Task ReportAbuseAsync(string room, AbuseReport report, CancellationToken ct)
    {
        var body = report.Encode();
        var now = time.GetUtcNow();
        var roomDomain = DomainOf(room);
        if (roomDomain == HostedDomain)
        {
            await reports.RecordAsync(Record(HostedDomain, room, report, now), body, null, ct);
            LogAbuseReport(logger, room, HostedDomain);
            return;
        }

        await outbox.EnqueueAsync([Outbox.Message(roomDomain, MimiEndpoint.ReportAbuse, room, body)], ct);
    }

    // ---- What peers send --------------------------------------------------------------------------------------------

    /// <summary><c>requestConsent</c> from <paramref name="source"/>; the peer is answered the same whatever happens.</summary>
    public async Task ReceiveRequestAsync(ConsentEntry entry, string source, string? messageId, CancellationToken ct)
    {
        var pair = new ConsentPair(entry.RequesterUri, entry.TargetUri, entry.RoomId);
        var outcome = await store.ReceiveRequestAsync(pair, entry.Operation == ConsentOperation.Cancel, options.Value.Limits, source, messageId,
            time.GetUtcNow(), ct);
        metrics.Received(outcome);
        LogReceived(logger, entry.Operation, source, outcome);
    }

    /// <summary><c>updateConsent</c> from <paramref name="source"/>: the target granted or revoked.</summary>
    public async Task ReceiveUpdateAsync(ConsentEntry entry, string source, string? messageId, CancellationToken ct)
    {
        var pair = new ConsentPair(entry.RequesterUri, entry.TargetUri, entry.RoomId);
        var fresh = await store.ReceiveUpdateAsync(pair, entry.Operation == ConsentOperation.Grant, source, messageId, time.GetUtcNow(), ct);
        LogUpdated(logger, entry.Operation, source, fresh);
    }

    /// <summary><c>reportAbuse</c> from <paramref name="source"/>, stored for this instance's operator.</summary>
    public async Task ReceiveAbuseReportAsync(string room, AbuseReport report, byte[] body, string source, string? messageId, CancellationToken ct)
    {
        if (await reports.RecordAsync(Record(source, room, report, time.GetUtcNow()), body, messageId, ct))
        {
            LogAbuseReport(logger, room, source);
        }
    }

    internal bool IsHosted(string uri) => DomainOf(uri) == HostedDomain;

    /// <summary>The provider domain of a validated <c>mimi://domain/…</c> URI.</summary>
    internal static string DomainOf(string uri)
    {
        var rest = uri["mimi://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? rest : rest[..slash];
    }

    private static NewOutboxMessage Message(ConsentOperation operation, ConsentPair pair, MimiEndpoint endpoint, string target) =>
        Outbox.Message(DomainOf(target), endpoint, target,
            ConsentEntry.For(operation, new ConsentScope(pair.Requester, pair.Target, pair.Room)).Encode());

    private static AbuseReportRecord Record(string source, string room, AbuseReport report, DateTimeOffset now) =>
        new(0, source, room, report.ReportingUser, report.AllegedAbuserUri, report.ReasonCode, report.Note, report.Messages.Count, now);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Consent request {Requester} -> {Target} ({Route}); requester sees {State}")]
    private static partial void LogRequested(ILogger logger, string requester, string target, string route, ConsentState state);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "{Target} decided {Decision} for {Requester}")]
    private static partial void LogDecided(ILogger logger, string target, string requester, ConsentState decision);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "requestConsent ({Operation}) from {Source}: {Outcome}")]
    private static partial void LogReceived(ILogger logger, ConsentOperation operation, string source, IncomingOutcome outcome);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "updateConsent ({Operation}) from {Source}; first delivery: {Fresh}")]
    private static partial void LogUpdated(ILogger logger, ConsentOperation operation, string source, bool fresh);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Abuse report for room {Room} from {Source} stored for the operator")]
    private static partial void LogAbuseReport(ILogger logger, string room, string source);
}
