using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Identifiers;

/// <summary>Checks every identifier input goes through before its scheme is looked at.</summary>
internal static class InputRules
{
    /// <summary>Longest accepted input, in UTF-16 code units; far above any real identifier, low enough to bound work per lookup.</summary>
    internal const int MaxLength = 512;

    internal static bool TryCheck([NotNullWhen(true)] string? input, string what, [NotNullWhen(false)] out IdentifierError? error)
    {
        if (string.IsNullOrEmpty(input))
        {
            error = new IdentifierError(IdentifierErrorCodes.InputEmpty, IdentifierPart.Input, $"The {what} is empty.");
            return false;
        }

        if (input.Length > MaxLength)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.InputTooLong,
                IdentifierPart.Input,
                $"The {what} is {input.Length} characters long; at most {MaxLength} are accepted.");
            return false;
        }

        if (char.IsWhiteSpace(input[0]) || char.IsWhiteSpace(input[^1]))
        {
            error = new IdentifierError(
                IdentifierErrorCodes.InputSurroundingWhitespace,
                IdentifierPart.Input,
                $"The {what} '{input}' starts or ends with whitespace.");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Describes a character for a message: printable ones quoted, others as U+XXXX.</summary>
    internal static string Describe(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c) || c > '\u007e'
            ? $"U+{(int)c:X4}"
            : $"'{c}'";
}
