namespace Mimi.Discovery.Server.Log;

/// <summary>The log's state as <see cref="LogStateSampler"/> last read it.</summary>
/// <param name="Size">Entries in the log.</param>
/// <param name="OldestUncoveredAt">When the oldest entry that the served checkpoint does not cover was appended; null when it covers them all.</param>
/// <param name="Witnesses">Per configured witness (by name), when it last returned a cosignature; empty without witnesses.</param>
/// <param name="QuorumHeld">Whether the newest checkpoint has the cosignatures the quorum requires; null without witnesses.</param>
internal sealed record LogSample(long Size, DateTimeOffset? OldestUncoveredAt, IReadOnlyList<(string Name, DateTimeOffset? LastCosignedAt)> Witnesses, bool? QuorumHeld);
