namespace Mimi.Discovery.Storage;

/// <summary>Where an outbox message stands: the values of <c>outbox.state</c>.</summary>
internal enum OutboxState
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending = 0,

    /// <summary>Given up: refused permanently by the destination, or too old. Kept for the operator.</summary>
    Failed = 1,
}
