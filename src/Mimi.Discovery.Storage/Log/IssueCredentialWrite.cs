namespace Mimi.Discovery.Storage;

/// <summary>An issuance: the credential row is built once its log index is known (the assertion carries the index).</summary>
public sealed record IssueCredentialWrite(byte[] Entry, Func<long, CredentialRecord> Credential) : LogWrite(Entry);
