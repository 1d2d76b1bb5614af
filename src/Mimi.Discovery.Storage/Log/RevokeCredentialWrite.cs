namespace Mimi.Discovery.Storage;

/// <summary>
/// A revocation; refused (not logged) if the credential is unknown or revoked already. With an <see cref="Actor"/>, the
/// revocation is recorded in the audit trail in the same transaction.
/// </summary>
public sealed record RevokeCredentialWrite(byte[] Entry, string Serial, DateTimeOffset At, string Reason) : LogWrite(Entry)
{
    /// <summary>Who revokes (the audit trail's actor); null records nothing.</summary>
    public AuditActor? Actor { get; init; }
}
