namespace Mimi.Discovery.Client;

/// <summary>
/// What a resumable import has committed: every line up to <see cref="ThroughLine"/> is done (its rows imported and
/// logged, or rejected), whatever the client heard of it.
/// </summary>
public sealed record ImportProgress(string ImportId, long ThroughLine, long Imported, long Rejected, long? FirstLogIndex, long? LastLogIndex,
    DateTimeOffset UpdatedAt);
