namespace Mimi.Discovery.Storage;

/// <summary>Where a write landed: its log index, or not applied (and not logged).</summary>
public readonly record struct LogWriteResult(bool Applied, long Index);
