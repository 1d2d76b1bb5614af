using Mimi.Discovery.Resolution;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// Queues provider-to-provider requests for at-least-once delivery. Capabilities that change state and notify a
/// peer in one step write the message in their own transaction (the storage layer's
/// <c>OutboxStore.EnqueueAsync(tx, …)</c>) and then call <see cref="Wake"/>.
/// </summary>
internal sealed class Outbox(OutboxStore store, TimeProvider time)
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public static string NewMessageId() => Guid.CreateVersion7().ToString("N");

    public static NewOutboxMessage Message(string destination, MimiEndpoint endpoint, string target, byte[] body) =>
        new(NewMessageId(), destination, MimiDirectory.NameOf(endpoint), target, body);

    public async Task EnqueueAsync(IReadOnlyList<NewOutboxMessage> messages, CancellationToken ct)
    {
        await store.EnqueueAsync(messages, time.GetUtcNow(), ct);
        Wake();
    }

    /// <summary>Tells the delivery loop that something is due now.</summary>
    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
