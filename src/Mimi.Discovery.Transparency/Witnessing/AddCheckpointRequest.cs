using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// The body of a C2SP tlog-witness <c>add-checkpoint</c> request: <c>old &lt;size&gt;</c>, up to 63 consistency proof
/// hashes in base64 (one per line), a blank line, then the signed checkpoint.
/// </summary>
public sealed record AddCheckpointRequest
{
    /// <summary>The most consistency proof lines a request carries (tlog-witness).</summary>
    public const int MaxProofLines = 63;

    /// <summary>The largest body <see cref="TryParse"/> accepts, in bytes: the proof lines and a checkpoint with many signatures fit well within it.</summary>
    public const int MaxLength = 64 * 1024;

    private const int HashLineLength = 44;

    /// <summary>Creates a request.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The old size is negative, or the proof has more than 63 hashes.</exception>
    /// <exception cref="ArgumentException">A proof hash is not 32 bytes, or the signed checkpoint is empty or does not end in a newline.</exception>
    public AddCheckpointRequest(long oldSize, IReadOnlyList<byte[]> proof, string signedCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(signedCheckpoint);
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(proof.Count, MaxProofLines, nameof(proof));
        if (proof.Any(h => h is not { Length: MerkleHash.Size }))
        {
            throw new ArgumentException($"Each proof hash is {MerkleHash.Size} bytes.", nameof(proof));
        }

        if (signedCheckpoint.Length == 0 || signedCheckpoint[^1] != '\n')
        {
            throw new ArgumentException("A signed checkpoint is a signed note, ending in a newline.", nameof(signedCheckpoint));
        }

        OldSize = oldSize;
        Proof = proof.Select(h => h.ToArray()).ToArray();
        SignedCheckpoint = signedCheckpoint;
    }

    /// <summary>The size of the checkpoint the witness last cosigned for this log (0 for none).</summary>
    public long OldSize { get; }

    /// <summary>The RFC 6962 consistency proof from <see cref="OldSize"/> to the checkpoint's size (copies).</summary>
    public IReadOnlyList<byte[]> Proof { get; }

    /// <summary>The signed checkpoint note (body, blank line, signature lines).</summary>
    public string SignedCheckpoint { get; }

    /// <summary>The request body.</summary>
    public string Format()
    {
        var builder = new StringBuilder(SignedCheckpoint.Length + 24 + (Proof.Count * (HashLineLength + 1)));
        builder.Append("old ").Append(OldSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in Proof)
        {
            builder.Append(Convert.ToBase64String(hash)).Append('\n');
        }

        return builder.Append('\n').Append(SignedCheckpoint).ToString();
    }

    /// <summary>
    /// Parses a request body strictly: UTF-8, <c>old N</c> in decimal without leading zeros, each proof line exactly one
    /// base64 32-byte hash, at most 63 of them, a blank line, then a non-empty checkpoint ending in a newline (whose
    /// signatures the witness checks). Never throws; <paramref name="error"/> says what is wrong.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, [NotNullWhen(true)] out AddCheckpointRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        if (body.Length > MaxLength)
        {
            error = $"The body is larger than {MaxLength} bytes.";
            return false;
        }

        if (!Utf8.IsValid(body))
        {
            error = "The body is not UTF-8.";
            return false;
        }

        var end = body.IndexOf((byte)'\n');
        if (end < 0 || !TryParseOld(body[..end], out var oldSize))
        {
            error = "The first line is not 'old <size>' (a decimal size without leading zeros).";
            return false;
        }

        body = body[(end + 1)..];
        var proof = new List<byte[]>();
        while (true)
        {
            end = body.IndexOf((byte)'\n');
            if (end < 0)
            {
                error = "The proof lines are not followed by a blank line and a checkpoint.";
                return false;
            }

            if (end == 0)
            {
                body = body[1..];
                break;
            }

            if (proof.Count == MaxProofLines)
            {
                error = $"More than {MaxProofLines} consistency proof lines.";
                return false;
            }

            var hash = new byte[MerkleHash.Size + 1];
            var line = end == HashLineLength ? Encoding.ASCII.GetString(body[..end]) : "";
            if (line.Length == 0 || !Convert.TryFromBase64Chars(line, hash, out var written) || written != MerkleHash.Size
                || line != Convert.ToBase64String(hash, 0, MerkleHash.Size))
            {
                // Canonical base64 only (no whitespace, no stray bits in the last character): one encoding per hash.
                error = $"Consistency proof line {proof.Count + 1} is not one base64 {MerkleHash.Size}-byte hash.";
                return false;
            }

            proof.Add(hash[..MerkleHash.Size]);
            body = body[(end + 1)..];
        }

        if (body.IsEmpty || body[^1] != (byte)'\n')
        {
            error = "The checkpoint after the blank line is missing or does not end in a newline.";
            return false;
        }

        request = new AddCheckpointRequest(oldSize, proof, Encoding.UTF8.GetString(body));
        error = null;
        return true;
    }

    /// <summary>Equal when the sizes, the proof hashes and the checkpoint are.</summary>
    public bool Equals(AddCheckpointRequest? other) =>
        other is not null && OldSize == other.OldSize && SignedCheckpoint == other.SignedCheckpoint && Proof.Count == other.Proof.Count
        && Proof.Zip(other.Proof).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(OldSize, Proof.Count, SignedCheckpoint);

    private static bool TryParseOld(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        if (!line.StartsWith("old "u8))
        {
            return false;
        }

        var digits = line[4..];
        if (digits.Length is 0 or > 19 || (digits[0] == (byte)'0' && digits.Length > 1))
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
