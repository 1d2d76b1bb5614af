using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// C2SP signed notes: a text ending in a newline, a blank line, then one line <c>— name base64(keyid ‖ signature)</c>
/// per signature, compatible with Go's sumdb/note.
/// </summary>
public static class SignedNote
{
    /// <summary>The largest note <see cref="Open"/> accepts, in bytes.</summary>
    public const int MaxLength = 256 * 1024;

    /// <summary>The most signature lines <see cref="Open"/> accepts.</summary>
    public const int MaxSignatures = 100;

    private static ReadOnlySpan<byte> SignaturePrefix => "— "u8;

    /// <summary>Signs <paramref name="text"/> with each signer and returns the signed note.</summary>
    /// <exception cref="ArgumentException">
    /// The text is empty, does not end in a newline, or has control characters other than newline; or no signer is given.
    /// </exception>
    public static string Sign(string text, params IReadOnlyList<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new ArgumentException("A note text ends with a newline.", nameof(text));
        }

        foreach (var c in text)
        {
            if (c < 0x20 && c != '\n')
            {
                throw new ArgumentException("A note text has no control characters other than newline.", nameof(text));
            }
        }

        if (signers.Count == 0)
        {
            throw new ArgumentException("A signed note needs at least one signer.", nameof(signers));
        }

        var message = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(text, text.Length + 1 + (signers.Count * 128));
        builder.Append('\n');
        Span<byte> signature = stackalloc byte[4 + NoteKey.SignatureLength];
        foreach (var signer in signers)
        {
            ArgumentNullException.ThrowIfNull(signer, nameof(signers));
            BinaryPrimitives.WriteUInt32BigEndian(signature, signer.KeyId);
            signer.Sign(message).CopyTo(signature[4..]);
            builder.Append("— ").Append(signer.Name).Append(' ').Append(Convert.ToBase64String(signature)).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>
    /// Opens a signed note: checks its form, ignores signatures by unknown keys, verifies those by
    /// <paramref name="verifiers"/>, and returns the text only if at least one verified and none failed. Never
    /// throws on bad input.
    /// </summary>
    public static NoteOpenResult Open(ReadOnlySpan<byte> note, IReadOnlyList<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        if (note.Length > MaxLength)
        {
            return NoteOpenResult.Failed(NoteStatus.TooLarge);
        }

        if (!IsWellFormedText(note))
        {
            return NoteOpenResult.Failed(NoteStatus.Malformed);
        }

        var split = note.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            return NoteOpenResult.Failed(NoteStatus.Malformed);
        }

        var text = note[..(split + 1)];
        var signatures = note[(split + 2)..];
        if (signatures.IsEmpty || signatures[^1] != (byte)'\n')
        {
            return NoteOpenResult.Failed(NoteStatus.Malformed);
        }

        var verified = new List<NoteVerifier>(1);
        var lines = 0;
        Span<byte> decoded = stackalloc byte[4 + NoteKey.SignatureLength];
        while (!signatures.IsEmpty)
        {
            var end = signatures.IndexOf((byte)'\n');
            var line = signatures[..end];
            signatures = signatures[(end + 1)..];
            if (++lines > MaxSignatures)
            {
                return NoteOpenResult.Failed(NoteStatus.TooLarge);
            }

            if (!line.StartsWith(SignaturePrefix))
            {
                return NoteOpenResult.Failed(NoteStatus.Malformed);
            }

            line = line[SignaturePrefix.Length..];
            var space = line.IndexOf((byte)' ');
            if (space <= 0)
            {
                return NoteOpenResult.Failed(NoteStatus.Malformed);
            }

            var name = Encoding.UTF8.GetString(line[..space]);
            var encoded = line[(space + 1)..];
            if (!NoteKey.IsValidName(name) || !TryDecodeSignature(encoded, decoded, out var length))
            {
                return NoteOpenResult.Failed(NoteStatus.Malformed);
            }

            var keyId = BinaryPrimitives.ReadUInt32BigEndian(decoded);
            var matched = false;
            var good = false;
            foreach (var verifier in verifiers)
            {
                if (verifier is null || verifier.KeyId != keyId || !string.Equals(verifier.Name, name, StringComparison.Ordinal))
                {
                    continue;
                }

                matched = true;
                if (length == 4 + NoteKey.SignatureLength && verifier.Verify(text, decoded[4..length]))
                {
                    good = true;
                    if (!verified.Contains(verifier))
                    {
                        verified.Add(verifier);
                    }

                    break;
                }
            }

            if (matched && !good)
            {
                return NoteOpenResult.Failed(NoteStatus.BadSignature);
            }
        }

        return verified.Count == 0
            ? NoteOpenResult.Failed(NoteStatus.UnknownKey)
            : NoteOpenResult.Verified(Encoding.UTF8.GetString(text), verified);
    }

    /// <summary>Valid UTF-8 with no ASCII control character but newline.</summary>
    private static bool IsWellFormedText(ReadOnlySpan<byte> note)
    {
        if (!Utf8.IsValid(note))
        {
            return false;
        }

        foreach (var b in note)
        {
            if (b < 0x20 && b != (byte)'\n')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Decodes base64(keyid ‖ signature): at least 5 bytes, as Go requires; signatures longer than an Ed25519 one
    /// (other key types) are reported by length only, since no known verifier can check them.
    /// </summary>
    private static bool TryDecodeSignature(ReadOnlySpan<byte> encoded, Span<byte> destination, out int length)
    {
        length = 0;
        if (encoded.IsEmpty || encoded.Length > 8192 || encoded.Contains((byte)' '))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, bytes, out _, out length) != OperationStatus.Done || length < 5)
        {
            return false;
        }

        bytes[..Math.Min(length, destination.Length)].CopyTo(destination);
        return true;
    }
}
