namespace Mimi.Discovery.Storage;

/// <summary>A one-time code sent to an identifier; only a keyed hash of the code is stored.</summary>
public sealed record ChallengeRecord(
    string Id,
    string Provider,
    string Sii,
    string Ssi,
    byte[] CodeHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int Attempts,
    ChallengeState State);
