namespace Mimi.Discovery.Storage;

/// <summary>A storage outage under way.</summary>
/// <param name="Kind">The latest failure's kind (a write's, once a write has failed).</param>
/// <param name="Since">When its first failure was seen.</param>
/// <param name="Writing">Whether a write has failed: then only a successful write ends it.</param>
public sealed record StorageOutage(StorageErrorKind Kind, DateTimeOffset Since, bool Writing);
