namespace Mimi.Discovery.Storage;

/// <summary>An open operator console session, found by the hash of its token.</summary>
/// <param name="OperatorId">The operator client the session acts as.</param>
/// <param name="CreatedAt">When the sign-in link was used.</param>
/// <param name="ExpiresAt">When the session ends unless signed out before.</param>
public sealed record ConsoleSessionRecord(string OperatorId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
