using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>Releases quarantined Welcomes and messages into the inbox once a target accepts a requester.</summary>
internal sealed partial class QuarantineRelease(InboxStore store, InboxSignals signals, TimeProvider time, ILogger<QuarantineRelease> logger) : IQuarantineRelease
{
    public async Task ReleaseAsync(string targetUser, string requesterUser, CancellationToken ct)
    {
        var clients = await store.ReleaseAsync(targetUser, requesterUser, time.GetUtcNow(), ct);
        signals.Notify(clients);
        LogReleased(logger, targetUser, requesterUser, clients.Count);
    }

    [LoggerMessage(EventId = 6040, Level = LogLevel.Information, Message = "Released quarantine of {Target} for {Requester} to {Clients} client(s)")]
    private static partial void LogReleased(ILogger logger, string target, string requester, int clients);
}
