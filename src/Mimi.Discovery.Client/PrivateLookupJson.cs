using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

/// <summary>The service's published OPRF key and bucket parameters (<c>GET /v1/lookup/private/key</c>).</summary>
internal sealed record PrivateLookupKey(string KeyId, byte[] PublicKey, string Suite, string Mode, int PrefixBits, int BucketSize, int MaxBatch);

/// <summary>One record of a bucket: a lookup tag and an AES-256-GCM sealed mapping (or a decoy).</summary>
internal sealed record PrivateLookupRecord(byte[] Tag, byte[] Ciphertext);

/// <summary>The part of the RFC 8414 metadata the client needs: the issuer its assertions carry.</summary>
internal sealed record AuthorityMetadata(string Issuer);

/// <summary>A bucket answer (<c>GET /v1/lookup/private/buckets/{bucket}?keyId=</c>).</summary>
internal sealed record PrivateLookupBucket(string KeyId, long Bucket, PrivateLookupRecord[] Records);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthorityMetadata))]
[JsonSerializable(typeof(PrivateLookupKey))]
[JsonSerializable(typeof(PrivateLookupBucket))]
[JsonSerializable(typeof(LookupMapping))]
internal sealed partial class PrivateLookupJson : JsonSerializerContext;
