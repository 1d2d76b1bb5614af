namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>The published OPRF key: clients verify evaluation proofs against <c>PublicKey</c> (33-byte compressed point).</summary>
internal sealed record PrivateLookupKeyView(string KeyId, byte[] PublicKey, string Suite, string Mode, int PrefixBits, int BucketSize, int MaxBatch);

internal sealed record PrivateRecordView(byte[] Tag, byte[] Ciphertext);

internal sealed record PrivateBucketView(string KeyId, long Bucket, PrivateRecordView[] Records);

internal sealed record PrivateRotationView(string KeyId, string ServingKeyId, bool Rebuilding);
