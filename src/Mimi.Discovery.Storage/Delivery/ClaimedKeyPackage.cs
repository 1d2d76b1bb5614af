namespace Mimi.Discovery.Storage;

/// <summary>What one client of a claimed user yielded: a KeyPackage (MLSMessage bytes), or null when it had none left.</summary>
public sealed record ClaimedKeyPackage(string ClientUri, string? Ref, byte[]? Data);
