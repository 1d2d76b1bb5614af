namespace Mimi.Discovery.Storage;

/// <summary>
/// What is committed of one import: every line up to <paramref name="ThroughLine"/> is done, <paramref name="Imported"/>
/// rows of them issued and logged (entries <paramref name="FirstLogIndex"/> to <paramref name="LastLogIndex"/>, possibly
/// interleaved with other writers' entries) and <paramref name="Rejected"/> refused.
/// </summary>
public sealed record ImportProgress(string ImportId, long ThroughLine, long Imported, long Rejected, long? FirstLogIndex, long? LastLogIndex,
    DateTimeOffset UpdatedAt);
