using System.Collections.Concurrent;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// In-process wake-ups for clients waiting on their inbox. A writer on this replica signals at once; waiters also
/// re-read the database every <see cref="InboxOptions.PollInterval"/>, which covers writes made by other replicas.
/// </summary>
internal sealed class InboxSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>The signal for <paramref name="clientUri"/>'s next item; take it before reading, so nothing slips between.</summary>
    public Task Next(string clientUri) =>
        _waiters.GetOrAdd(clientUri, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(IEnumerable<string> clientUris)
    {
        foreach (var client in clientUris)
        {
            if (_waiters.TryRemove(client, out var waiter))
            {
                waiter.TrySetResult();
            }
        }
    }
}

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
