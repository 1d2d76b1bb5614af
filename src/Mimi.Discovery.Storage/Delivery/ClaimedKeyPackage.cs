namespace Mimi.Discovery.Storage;

/// <summary>What one active client of a claimed user yielded: a KeyPackage (MLSMessage bytes), or null when it had none left. A claim of a user without clients yields none.</summary>
public sealed record ClaimedKeyPackage(string ClientUri, string? Ref, byte[]? Data);
