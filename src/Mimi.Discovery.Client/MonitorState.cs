namespace Mimi.Discovery.Client;

/// <summary>
/// What a monitor keeps between passes (a state file, like <see cref="AuditState"/>): the checkpoint it verified, the
/// right edge of that tree, and the identifiers it watches with their indexes and how far each was scanned.
/// </summary>
public sealed record MonitorState(string Origin, string VerifierKey, long Size, string Root, string[] Frontier, string Checkpoint, WatchedIdentifier[] Watched);
