namespace Mimi.Discovery.Client;

/// <summary>A credential whose inclusion the audit must prove: its certificate (DER) and the log index its assertion names.</summary>
public sealed record CredentialToCheck(byte[] Certificate, long LogIndex);
