using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// Records keyed by an OPRF output y (the private-lookup format, shared by the service that seals records and the
/// client that opens them): HKDF-SHA256 from y gives a 16-byte lookup tag, whose leading bits name a bucket, and a
/// 32-byte AES-256-GCM record key. A sealed record is nonce (12) ‖ ciphertext ‖ GCM tag (16) with the lookup tag as
/// associated data; the plaintext is padded with spaces to a multiple of <see cref="PaddingBlock"/> bytes.
/// </summary>
public static class OprfRecords
{
    /// <summary>Length of a lookup tag.</summary>
    public const int TagLength = 16;

    /// <summary>Length of a record key.</summary>
    public const int KeyLength = 32;

    /// <summary>Length of the AES-GCM nonce that starts a sealed record.</summary>
    public const int NonceLength = 12;

    /// <summary>Length of the GCM authentication tag that ends a sealed record.</summary>
    public const int GcmTagLength = 16;

    /// <summary>Plaintexts are padded to a multiple of this, so sizes say little.</summary>
    public const int PaddingBlock = 256;

    private static readonly byte[] TagInfo = "mimi-discovery private lookup tag"u8.ToArray();
    private static readonly byte[] KeyInfo = "mimi-discovery private lookup record key"u8.ToArray();

    /// <summary>The lookup tag and record key an OPRF output keys.</summary>
    public static (byte[] Tag, byte[] RecordKey) Derive(byte[] oprfOutput) =>
        (HKDF.DeriveKey(HashAlgorithmName.SHA256, oprfOutput, TagLength, info: TagInfo),
         HKDF.DeriveKey(HashAlgorithmName.SHA256, oprfOutput, KeyLength, info: KeyInfo));

    /// <summary>The bucket of a tag: its leading <paramref name="prefixBits"/> bits (1 to 32) as an unsigned integer.</summary>
    public static long Bucket(ReadOnlySpan<byte> tag, int prefixBits) => BinaryPrimitives.ReadUInt32BigEndian(tag) >> (32 - prefixBits);

    /// <summary>Pads and seals a plaintext under a record key, with the lookup tag as associated data.</summary>
    public static byte[] Seal(byte[] recordKey, byte[] tag, ReadOnlySpan<byte> plaintext)
    {
        var padded = new byte[(plaintext.Length / PaddingBlock + 1) * PaddingBlock];
        plaintext.CopyTo(padded);
        padded.AsSpan(plaintext.Length).Fill((byte)' ');

        var sealedRecord = new byte[NonceLength + padded.Length + GcmTagLength];
        var nonce = sealedRecord.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(recordKey, GcmTagLength);
        aes.Encrypt(nonce, padded, sealedRecord.AsSpan(NonceLength, padded.Length), sealedRecord.AsSpan(NonceLength + padded.Length), tag);
        return sealedRecord;
    }

    /// <summary>Opens a sealed record; null when it is not one sealed under this key and tag (a decoy, or tampered).</summary>
    public static byte[]? Open(byte[] recordKey, byte[] tag, byte[] sealedRecord)
    {
        if (sealedRecord.Length < NonceLength + GcmTagLength)
        {
            return null;
        }

        var length = sealedRecord.Length - NonceLength - GcmTagLength;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(recordKey, GcmTagLength);
            aes.Decrypt(sealedRecord.AsSpan(0, NonceLength), sealedRecord.AsSpan(NonceLength, length), sealedRecord.AsSpan(NonceLength + length), plaintext, tag);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
