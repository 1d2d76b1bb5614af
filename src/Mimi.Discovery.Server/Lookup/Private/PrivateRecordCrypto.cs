using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>
/// What the OPRF output y of an identifier keys: a lookup tag (16 bytes, its leading bits name the bucket) and a
/// record key (32 bytes, AES-256-GCM), both HKDF-SHA256 from y. A record is nonce (12) ‖ ciphertext ‖ GCM tag (16),
/// with the lookup tag as associated data; the plaintext is the mapping's JSON padded with spaces to a multiple of
/// <see cref="PaddingBlock"/> bytes so sizes say little. The client library derives the same values.
/// </summary>
internal static class PrivateRecordCrypto
{
    public const int TagLength = 16;
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int GcmTagLength = 16;
    public const int PaddingBlock = 256;

    private static readonly byte[] TagInfo = "mimi-discovery private lookup tag"u8.ToArray();
    private static readonly byte[] KeyInfo = "mimi-discovery private lookup record key"u8.ToArray();

    public static (byte[] Tag, byte[] RecordKey) Derive(byte[] oprfOutput) =>
        (HKDF.DeriveKey(HashAlgorithmName.SHA256, oprfOutput, TagLength, info: TagInfo),
         HKDF.DeriveKey(HashAlgorithmName.SHA256, oprfOutput, KeyLength, info: KeyInfo));

    /// <summary>The bucket of a tag: its leading <paramref name="prefixBits"/> bits as an unsigned integer.</summary>
    public static long Bucket(ReadOnlySpan<byte> tag, int prefixBits) => BinaryPrimitives.ReadUInt32BigEndian(tag) >> (32 - prefixBits);

    public static byte[] Seal(byte[] recordKey, byte[] tag, PrivateRecordPayload payload)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, ServerJson.Default.PrivateRecordPayload);
        var padded = new byte[(json.Length / PaddingBlock + 1) * PaddingBlock];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');

        var sealedRecord = new byte[NonceLength + padded.Length + GcmTagLength];
        var nonce = sealedRecord.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(recordKey, GcmTagLength);
        aes.Encrypt(nonce, padded, sealedRecord.AsSpan(NonceLength, padded.Length), sealedRecord.AsSpan(NonceLength + padded.Length), tag);
        return sealedRecord;
    }

    /// <summary>A record nobody can open, the size of a small real one.</summary>
    public static (byte[] Tag, byte[] Ciphertext) Decoy(int length) =>
        (RandomNumberGenerator.GetBytes(TagLength), RandomNumberGenerator.GetBytes(length));

    /// <summary>The size of a typical sealed record (a mapping with its assertion pads to 1 KiB): what decoys imitate in an otherwise empty answer.</summary>
    public const int TypicalRecordLength = NonceLength + 4 * PaddingBlock + GcmTagLength;

    public static byte[] Utf8(string sii) => Encoding.UTF8.GetBytes(sii);
}

/// <summary>The plaintext of a record: one mapping, as a plain lookup returns it.</summary>
internal sealed record PrivateRecordPayload(string Ssi, string Provider, string[] Tags, string Assertion, string? KeyMaterial, string Serial, DateTimeOffset NotAfter);
