using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// The hiding commitment a format-2 entry shows instead of its fields (docs/accountability.md §2):
/// HMAC-SHA256 under a fixed key over a random 32-byte opening followed by the committed value. As in keytrans, the key
/// is fixed and the randomness is in the message, so binding rests on the collision resistance of HMAC under one key
/// and hiding on the opening.
/// </summary>
public static class LogCommitment
{
    /// <summary>Bytes of a commitment.</summary>
    public const int Length = 32;

    /// <summary>Bytes of an opening.</summary>
    public const int OpeningLength = 32;

    private static readonly byte[] Key = "mimi-discovery/log-commitment/v1"u8.ToArray();

    /// <summary>A fresh random opening.</summary>
    public static byte[] NewOpening() => RandomNumberGenerator.GetBytes(OpeningLength);

    /// <summary>The commitment to <paramref name="value"/> under <paramref name="opening"/>.</summary>
    public static byte[] Commit(ReadOnlySpan<byte> opening, ReadOnlySpan<byte> value)
    {
        if (opening.Length != OpeningLength)
        {
            throw new ArgumentException($"An opening is {OpeningLength} bytes.", nameof(opening));
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Key);
        hmac.AppendData(opening);
        hmac.AppendData(value);
        return hmac.GetHashAndReset();
    }

    /// <summary>True when <paramref name="opening"/> and <paramref name="value"/> open <paramref name="commitment"/>.</summary>
    public static bool Opens(ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> opening, ReadOnlySpan<byte> value) =>
        commitment.Length == Length && opening.Length == OpeningLength
        && CryptographicOperations.FixedTimeEquals(commitment, Commit(opening, value));

    /// <summary>The committed value of an issuance: its fields as fixed-order JSON.</summary>
    public static byte[] IssuanceValue(string sii, string ssi, string provider, string serial, ReadOnlySpan<byte> certificateSha256,
        string attestation, DateTimeOffset notAfter)
    {
        var hash = Convert.ToHexStringLower(certificateSha256);
        return Write(w =>
        {
            w.WriteString("type", "issuance");
            w.WriteString("sii", sii);
            w.WriteString("ssi", ssi);
            w.WriteString("provider", provider);
            w.WriteString("serial", serial);
            w.WriteString("certificateSha256", hash);
            w.WriteString("attestation", attestation);
            w.WriteString("notAfter", LogEntryContent.FormatTime(notAfter));
        });
    }

    /// <summary>The committed value of a revocation: its fields as fixed-order JSON.</summary>
    public static byte[] RevocationValue(string sii, string provider, string serial, string revokedBy, string reason) =>
        Write(w =>
        {
            w.WriteString("type", "revocation");
            w.WriteString("sii", sii);
            w.WriteString("provider", provider);
            w.WriteString("serial", serial);
            w.WriteString("revokedBy", revokedBy);
            w.WriteString("reason", reason);
        });

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
