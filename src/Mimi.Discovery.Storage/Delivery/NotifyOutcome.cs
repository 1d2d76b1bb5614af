namespace Mimi.Discovery.Storage;

/// <summary>
/// What applying a notify did: the local clients whose inbox grew (empty for a duplicate), or nothing at all because
/// the followed state changed since it was read (<see cref="StateConflict"/>: read it again and retry).
/// </summary>
public sealed record NotifyOutcome(bool StateConflict, IReadOnlyList<string> Notified);
