namespace Mimi.Discovery.Storage;

/// <summary>One encrypted private-lookup record: a mapping sealed under a key derived from the OPRF output of its identifier.</summary>
public sealed record PrivateRecord(string KeyId, string Serial, long Bucket, byte[] Tag, byte[] Ciphertext);
