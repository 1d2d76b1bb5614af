namespace Mimi.Discovery.Storage;

/// <summary>
/// The follower's state after a notify, written only if the stored one is still the one it was computed from:
/// <paramref name="ExpectedSeq"/> is that state's sequence number, or null when there was none.
/// </summary>
public sealed record FollowedStateWrite(byte[] State, long? ExpectedSeq);
