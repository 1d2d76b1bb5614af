namespace Mimi.Discovery.Storage;

/// <summary>A stored record together with the mapping it seals, so the caller can decide visibility per requester.</summary>
public sealed record PrivateRecordWithMapping(CredentialRecord Mapping, byte[] Tag, byte[] Ciphertext);
