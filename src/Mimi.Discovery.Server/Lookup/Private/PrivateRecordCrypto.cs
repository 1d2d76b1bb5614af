using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Oprf;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>The service's side of the record format in <see cref="OprfRecords"/>: mapping JSON in, decoys out.</summary>
internal static class PrivateRecordCrypto
{
    /// <summary>The size of a typical sealed record (a mapping with its assertion pads to 1 KiB): what decoys imitate in an otherwise empty answer.</summary>
    public const int TypicalRecordLength = OprfRecords.NonceLength + 4 * OprfRecords.PaddingBlock + OprfRecords.GcmTagLength;

    public static (byte[] Tag, byte[] RecordKey) Derive(byte[] oprfOutput) => OprfRecords.Derive(oprfOutput);

    public static long Bucket(ReadOnlySpan<byte> tag, int prefixBits) => OprfRecords.Bucket(tag, prefixBits);

    public static byte[] Seal(byte[] recordKey, byte[] tag, PrivateRecordPayload payload) =>
        OprfRecords.Seal(recordKey, tag, JsonSerializer.SerializeToUtf8Bytes(payload, ServerJson.Default.PrivateRecordPayload));

    /// <summary>A record nobody can open, the size of a small real one.</summary>
    public static (byte[] Tag, byte[] Ciphertext) Decoy(int length) =>
        (RandomNumberGenerator.GetBytes(OprfRecords.TagLength), RandomNumberGenerator.GetBytes(length));

    public static byte[] Utf8(string sii) => Encoding.UTF8.GetBytes(sii);
}
