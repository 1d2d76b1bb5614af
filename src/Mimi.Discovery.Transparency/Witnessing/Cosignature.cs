using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// One C2SP tlog-cosignature <c>cosignature/v1</c> (Ed25519) note signature line,
/// <c>— name base64(keyid ‖ u64 timestamp ‖ signature)</c>: who cosigned, when, and the signature over
/// <c>"cosignature/v1\ntime &lt;timestamp&gt;\n" ‖ checkpoint body</c>.
/// </summary>
public sealed record Cosignature
{
    /// <summary>The bytes a <c>cosignature/v1</c> line carries: key ID, timestamp and Ed25519 signature.</summary>
    public const int EncodedLength = 4 + 8 + NoteKey.SignatureLength;

    /// <summary>The longest line <see cref="TryParse"/> looks at, in characters.</summary>
    public const int MaxLineLength = 1024;

    private const string Prefix = "— ";
    private static readonly byte[] Header = "cosignature/v1\ntime "u8.ToArray();

    /// <summary>Creates a cosignature.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the signature is not 64 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp is negative.</exception>
    public Cosignature(string name, uint keyId, long timestamp, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!NoteKey.IsValidName(name))
        {
            throw new ArgumentException("A note key name is non-empty and has no spaces, plus signs or control characters.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        if (signature.Length != NoteKey.SignatureLength)
        {
            throw new ArgumentException($"An Ed25519 signature is {NoteKey.SignatureLength} bytes.", nameof(signature));
        }

        Name = name;
        KeyId = keyId;
        Timestamp = timestamp;
        Signature = signature.ToArray();
    }

    /// <summary>The cosigner's key name.</summary>
    public string Name { get; }

    /// <summary>The cosigner's key ID: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4], big-endian.</summary>
    public uint KeyId { get; }

    /// <summary>When the cosignature was made, in POSIX seconds (at most 2^63 − 1).</summary>
    public long Timestamp { get; }

    /// <summary>The 64-byte Ed25519 signature (a copy).</summary>
    public byte[] Signature { get; }

    /// <summary>The note signature line, <c>— name base64(keyid ‖ timestamp ‖ signature)</c>, ending in a newline.</summary>
    public string Format()
    {
        Span<byte> encoded = stackalloc byte[EncodedLength];
        BinaryPrimitives.WriteUInt32BigEndian(encoded, KeyId);
        BinaryPrimitives.WriteInt64BigEndian(encoded[4..], Timestamp);
        Signature.CopyTo(encoded[12..]);
        return Prefix + Name + " " + Convert.ToBase64String(encoded) + "\n";
    }

    /// <summary>
    /// Parses one note signature line (with or without its final newline) as a <c>cosignature/v1</c>: a valid key name
    /// and exactly <see cref="EncodedLength"/> bytes of standard base64 with a timestamp below 2^63. A signature line of
    /// another kind (a log's own Ed25519 signature is 68 bytes) is not a cosignature. Never throws.
    /// </summary>
    public static bool TryParse(string? line, [NotNullWhen(true)] out Cosignature? cosignature)
    {
        cosignature = null;
        if (line is null || line.Length > MaxLineLength)
        {
            return false;
        }

        var text = line.AsSpan();
        if (text.EndsWith("\n", StringComparison.Ordinal))
        {
            text = text[..^1];
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        text = text[Prefix.Length..];
        var space = text.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        var name = text[..space].ToString();
        var encoded = text[(space + 1)..];
        Span<byte> bytes = stackalloc byte[EncodedLength + 3];
        if (!NoteKey.IsValidName(name) || encoded.Length != 104 || encoded.ContainsAny(" \t\r\n")
            || !Convert.TryFromBase64Chars(encoded, bytes, out var written) || written != EncodedLength
            || !encoded.SequenceEqual(Convert.ToBase64String(bytes[..EncodedLength])))
        {
            // The last check refuses non-canonical base64 (stray bits in the final character): one line per cosignature.
            return false;
        }

        var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes[4..]);
        if (timestamp < 0)
        {
            return false;
        }

        cosignature = new Cosignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), timestamp, bytes[12..EncodedLength].ToArray());
        return true;
    }

    /// <summary>Equal when every field is, the signature compared by value.</summary>
    public bool Equals(Cosignature? other) =>
        other is not null && Name == other.Name && KeyId == other.KeyId && Timestamp == other.Timestamp && Signature.AsSpan().SequenceEqual(other.Signature);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, KeyId, Timestamp);

    /// <inheritdoc/>
    public override string ToString() => Format();

    /// <summary>The signed message: <c>"cosignature/v1\ntime &lt;t&gt;\n" ‖ body</c>, the body as UTF-8.</summary>
    internal static byte[] SignedMessage(string checkpointBody, long timestamp)
    {
        var time = timestamp.ToString(CultureInfo.InvariantCulture);
        var message = new byte[Header.Length + time.Length + 1 + Encoding.UTF8.GetByteCount(checkpointBody)];
        Header.CopyTo(message, 0);
        Encoding.ASCII.GetBytes(time, message.AsSpan(Header.Length));
        message[Header.Length + time.Length] = (byte)'\n';
        Encoding.UTF8.GetBytes(checkpointBody, message.AsSpan(Header.Length + time.Length + 1));
        return message;
    }

    /// <summary>Whether <paramref name="body"/> can be a signed note's text: non-empty, ending in a newline, no other control character.</summary>
    internal static bool IsNoteText(string? body)
    {
        if (string.IsNullOrEmpty(body) || body[^1] != '\n' || body.Length > SignedNote.MaxLength)
        {
            return false;
        }

        foreach (var c in body)
        {
            if (c < 0x20 && c != '\n')
            {
                return false;
            }
        }

        return true;
    }
}
