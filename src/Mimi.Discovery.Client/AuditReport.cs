namespace Mimi.Discovery.Client;

/// <summary>
/// The outcome of an audit: the new state to keep (only when <see cref="Ok"/>), what was checked or found wrong, and
/// the status in the log of each credential checked.
/// </summary>
public sealed record AuditReport(bool Ok, AuditState? State, IReadOnlyList<string> Findings, IReadOnlyList<CredentialStatus> Credentials);
