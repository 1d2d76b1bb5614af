using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Authority;

/// <summary>
/// A credential's serial number in its one canonical text form: lower-case hex of the unsigned magnitude without
/// leading zero bytes, the form this authority issues, stores, logs and puts in <c>cred</c> claims.
/// </summary>
/// <remarks>
/// Serials arrive from outside in other spellings of the same number: upper case as <c>openssl x509 -serial</c>
/// prints it, with leading zeros, or with colons between the bytes as <c>openssl x509 -text</c> prints it. Every
/// route and command that takes a serial parses it here once, so storage only ever sees the canonical form.
/// </remarks>
public readonly record struct CredentialSerial
{
    /// <summary>The longest text accepted: 20 octets (RFC 5280's bound) as colon-separated hex with some leading zeros.</summary>
    public const int MaxTextLength = 64;

    private CredentialSerial(string value) => Value = value;

    /// <summary>Lower-case hex of the magnitude, e.g. <c>4a0b…</c>.</summary>
    public string Value { get; }

    /// <summary>Parses hex in either case, with or without colons between bytes and leading zeros.</summary>
    /// <param name="text">The serial as given.</param>
    /// <param name="serial">The canonical serial when the method returns true.</param>
    /// <param name="error">Why <paramref name="text"/> is not a serial when the method returns false.</param>
    /// <returns>Whether <paramref name="text"/> is a serial number (positive, at most 20 octets DER-encoded). Never throws.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out CredentialSerial serial, [NotNullWhen(false)] out string? error)
    {
        serial = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength)
        {
            error = $"A serial number is 1 to {MaxTextLength} characters of hex.";
            return false;
        }

        // Digits from index 1, leaving room for the leading zero an odd count of significant digits takes back.
        Span<char> digits = stackalloc char[MaxTextLength + 1];
        var count = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // A colon only between two-digit bytes, as openssl writes them.
            if (c == ':' && i > 0 && i < text.Length - 1 && text[i - 1] != ':' && (count - 1) % 2 == 0)
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                error = "A serial number is hex digits (0-9, a-f, either case), optionally with ':' between bytes.";
                return false;
            }

            digits[count++] = char.ToLowerInvariant(c);
        }

        var start = 1;
        while (start < count && digits[start] == '0')
        {
            start++;
        }

        var significant = count - start;
        if (significant == 0)
        {
            error = "A serial number is positive; this one is zero.";
            return false;
        }

        if (significant % 2 == 1)
        {
            digits[--start] = '0';
            significant++;
        }

        // RFC 5280: at most 20 octets once DER-encoded, where a top bit set costs a leading zero octet.
        var octets = (significant / 2) + (digits[start] >= '8' ? 1 : 0);
        if (octets > 20)
        {
            error = "A serial number is at most 20 octets (RFC 5280).";
            return false;
        }

        serial = new CredentialSerial(new string(digits[start..count]));
        error = null;
        return true;
    }

    /// <summary>Parses a serial; see <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not a serial number.</exception>
    public static CredentialSerial Parse(string text) =>
        TryParse(text, out var serial, out var error) ? serial : throw new FormatException($"'{text}' is not a serial number: {error}");

    /// <summary>The canonical form, <see cref="Value"/>.</summary>
    public override string ToString() => Value ?? "";
}
