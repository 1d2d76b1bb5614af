namespace Mimi.Discovery.Storage;

/// <summary>A notify body for one follower provider.</summary>
public sealed record FollowerNotify(string Domain, byte[] Body);
