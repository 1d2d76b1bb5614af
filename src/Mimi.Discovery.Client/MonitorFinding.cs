namespace Mimi.Discovery.Client;

/// <summary>
/// One entry a monitor found under a watched identifier's index, as the opening showed it: expected (this provider's
/// own credential or revocation) or an alert saying why not. <see cref="LogIndex"/> is −1 for an alert about the
/// authority's answers rather than an entry (an index whose proof does not verify).
/// </summary>
public sealed record MonitorFinding(string Identifier, long LogIndex, string Type, DateTimeOffset? Time, bool Alert, string Reason,
    string? Provider = null, string? Ssi = null, string? Serial = null);
