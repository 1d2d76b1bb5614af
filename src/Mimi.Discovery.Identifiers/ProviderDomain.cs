using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Mimi.Discovery.Identifiers;

/// <summary>
/// Normalizes the domain names that name providers and appear in <c>mailto:</c>, <c>im:</c> and
/// <c>mimi://</c> identifiers.
/// </summary>
/// <remarks>
/// <para>
/// The normalized form is lower-case ASCII: internationalized labels are converted to their
/// <c>xn--</c> A-label with <see cref="IdnMapping"/>, one trailing dot is dropped, every label is
/// 1 to 63 octets of letters, digits and hyphens without a leading or trailing hyphen, the whole name
/// is at most 253 octets, it has at least two labels and its last label is not all digits.
/// </para>
/// <para>
/// The service runs with invariant globalization. There <see cref="IdnMapping"/> still converts between
/// U-labels and A-labels, but it neither case-folds nor applies Unicode normalization. This type
/// therefore lower-cases U-labels itself and rejects what it cannot map faithfully: labels that stay
/// upper-case after lower-casing, full-width and half-width forms, control, format and whitespace
/// characters, and labels that start with a combining mark. U-labels are expected in NFC, as input
/// methods produce them; a decomposed spelling converts to a different A-label.
/// </para>
/// </remarks>
public static class ProviderDomain
{
    private const int MaxInputLength = 1024;
    private const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>The full stop and the three dots IDNA treats as label separators.</summary>
    private static readonly SearchValues<char> Dots = SearchValues.Create(".\u3002\uff0e\uff61");

    /// <summary>Normalizes <paramref name="input"/> to a lower-case ASCII provider domain.</summary>
    /// <param name="input">A domain name, ASCII or internationalized, with or without one trailing dot.</param>
    /// <param name="normalized">The normalized domain when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the domain was rejected when the method returns <see langword="false"/>.</param>
    /// <returns>Whether <paramref name="input"/> is a valid provider domain. Never throws.</returns>
    public static bool TryNormalize(
        string? input,
        [NotNullWhen(true)] out string? normalized,
        [NotNullWhen(false)] out IdentifierError? error) =>
        TryNormalize(input.AsSpan(), out normalized, out error);

    internal static bool TryNormalize(
        ReadOnlySpan<char> input,
        [NotNullWhen(true)] out string? normalized,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        normalized = null;
        if (input.IsEmpty)
        {
            error = new IdentifierError(IdentifierErrorCodes.DomainEmpty, IdentifierPart.Domain, "The domain is empty.");
            return false;
        }

        if (input.Length > MaxInputLength)
        {
            error = TooLong(input);
            return false;
        }

        var name = input[^1] == '.' ? input[..^1] : input;
        var builder = new StringBuilder(name.Length + 8);
        var labels = 0;
        var lastLabelNumeric = false;
        while (true)
        {
            var end = name.IndexOfAny(Dots);
            var label = end < 0 ? name : name[..end];
            if (!TryAppendLabel(label, input, builder, out error))
            {
                return false;
            }

            labels++;
            lastLabelNumeric = !label.ContainsAnyExceptInRange('0', '9');
            if (end < 0)
            {
                break;
            }

            builder.Append('.');
            name = name[(end + 1)..];
        }

        if (builder.Length > MaxLength)
        {
            error = TooLong(input);
            return false;
        }

        if (labels < 2)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.DomainSingleLabel,
                IdentifierPart.Domain,
                $"The domain '{input}' has a single label; a provider domain needs at least two, such as 'example.com'.");
            return false;
        }

        if (lastLabelNumeric)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.DomainNumericTld,
                IdentifierPart.Domain,
                $"The domain '{input}' ends in an all-digit label; IP addresses are not accepted as provider domains.");
            return false;
        }

        normalized = builder.ToString();
        error = null;
        return true;
    }

    private static bool TryAppendLabel(
        ReadOnlySpan<char> label,
        ReadOnlySpan<char> input,
        StringBuilder builder,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        if (label.IsEmpty)
        {
            error = InvalidLabel($"The domain '{input}' has an empty label.");
            return false;
        }

        if (!System.Text.Ascii.IsValid(label))
        {
            return TryAppendULabel(label, input, builder, out error);
        }

        if (label.Length > MaxLabelLength)
        {
            error = InvalidLabel($"The label '{label}' in domain '{input}' is {label.Length} characters long; at most {MaxLabelLength} are allowed.");
            return false;
        }

        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                error = InvalidLabel($"The label '{label}' in domain '{input}' contains {InputRules.Describe(c)}; only letters, digits and hyphens are allowed.");
                return false;
            }
        }

        if (label[0] == '-' || label[^1] == '-')
        {
            error = InvalidLabel($"The label '{label}' in domain '{input}' starts or ends with a hyphen.");
            return false;
        }

        var start = builder.Length;
        foreach (var c in label)
        {
            builder.Append(char.ToLowerInvariant(c));
        }

        if (label.Length > 4 && label[..4].Equals("xn--", StringComparison.OrdinalIgnoreCase))
        {
            var aLabel = builder.ToString(start, label.Length);
            if (!IsCanonicalALabel(aLabel))
            {
                error = InvalidIdn($"The label '{label}' in domain '{input}' is not a valid internationalized (xn--) label.");
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool TryAppendULabel(
        ReadOnlySpan<char> label,
        ReadOnlySpan<char> input,
        StringBuilder builder,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        var lowered = label.ToString().ToLowerInvariant();
        var problem = ULabelProblem(lowered);
        if (problem is not null)
        {
            error = InvalidIdn($"The label '{label}' in domain '{input}' {problem}.");
            return false;
        }

        string aLabel;
        try
        {
            aLabel = Idn.GetAscii(lowered);
        }
        catch (ArgumentException)
        {
            error = InvalidIdn($"The label '{label}' in domain '{input}' cannot be converted to an ASCII (xn--) label of at most {MaxLabelLength} characters.");
            return false;
        }

        if (aLabel.Length > MaxLabelLength)
        {
            error = InvalidLabel($"The label '{label}' in domain '{input}' is {aLabel.Length} characters long in ASCII form; at most {MaxLabelLength} are allowed.");
            return false;
        }

        builder.Append(aLabel);
        error = null;
        return true;
    }

    /// <summary>An A-label must decode to an acceptable U-label that encodes back to the same A-label.</summary>
    private static bool IsCanonicalALabel(string aLabel)
    {
        try
        {
            var uLabel = Idn.GetUnicode(aLabel);
            return ULabelProblem(uLabel) is null && string.Equals(Idn.GetAscii(uLabel), aLabel, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>What is wrong with a lower-cased U-label, as the end of a sentence, or null.</summary>
    private static string? ULabelProblem(string uLabel)
    {
        var first = true;
        var rest = uLabel.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return "is not well-formed text";
            }

            rest = rest[consumed..];
            if (Rune.IsUpper(rune))
            {
                return $"contains U+{rune.Value:X4}, which has no lower-case form";
            }

            if (rune.Value is >= 0xFF00 and <= 0xFFEF)
            {
                return $"contains the full-width or half-width form U+{rune.Value:X4}";
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.SpaceSeparator:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                    return $"contains U+{rune.Value:X4}, which is not allowed in a domain name";
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.SpacingCombiningMark:
                case UnicodeCategory.EnclosingMark:
                    if (first)
                    {
                        return "starts with a combining mark";
                    }

                    break;
            }

            first = false;
        }

        return null;
    }

    private static IdentifierError InvalidLabel(string message) =>
        new(IdentifierErrorCodes.DomainInvalidLabel, IdentifierPart.Domain, message);

    private static IdentifierError InvalidIdn(string message) =>
        new(IdentifierErrorCodes.DomainInvalidIdn, IdentifierPart.Domain, message);

    private static IdentifierError TooLong(ReadOnlySpan<char> input) =>
        new(
            IdentifierErrorCodes.DomainTooLong,
            IdentifierPart.Domain,
            $"The domain '{Shorten(input)}' is longer than {MaxLength} characters in its ASCII form.");

    private static string Shorten(ReadOnlySpan<char> text) =>
        text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");
}
