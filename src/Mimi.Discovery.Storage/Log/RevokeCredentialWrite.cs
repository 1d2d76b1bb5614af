namespace Mimi.Discovery.Storage;

/// <summary>A revocation; refused (not logged) if the credential is unknown or revoked already.</summary>
public sealed record RevokeCredentialWrite(byte[] Entry, string Serial, DateTimeOffset At, string Reason) : LogWrite(Entry);
