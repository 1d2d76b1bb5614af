using System.Collections.Concurrent;

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
