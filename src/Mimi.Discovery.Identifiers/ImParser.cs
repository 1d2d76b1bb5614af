using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Identifiers;

/// <summary>Parses <c>im:handle@domain</c>.</summary>
internal static class ImParser
{
    private const int MaxHandleLength = 64;

    internal static bool TryParse(
        string input,
        ReadOnlySpan<char> address,
        [NotNullWhen(true)] out Sii? value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = null;
        var at = address.IndexOf('@');
        if (at < 0)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.ImMissingAt,
                IdentifierPart.Domain,
                $"'{input}' has no '@'; expected im:handle@domain.");
            return false;
        }

        var rawHandle = address[..at];
        if (rawHandle.IsEmpty)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.ImEmptyHandle,
                IdentifierPart.Handle,
                $"'{input}' has nothing before the '@'.");
            return false;
        }

        if (rawHandle.Length > MaxHandleLength)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.ImHandleTooLong,
                IdentifierPart.Handle,
                $"The handle of '{input}' is {rawHandle.Length} characters long; at most {MaxHandleLength} are allowed.");
            return false;
        }

        foreach (var c in rawHandle)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                error = InvalidHandle($"The handle '{rawHandle}' of '{input}' contains {InputRules.Describe(c)}; only letters, digits, '.', '_' and '-' are allowed.");
                return false;
            }
        }

        if (!char.IsAsciiLetterOrDigit(rawHandle[0]) || !char.IsAsciiLetterOrDigit(rawHandle[^1]))
        {
            error = InvalidHandle($"The handle '{rawHandle}' of '{input}' must start and end with a letter or digit.");
            return false;
        }

        if (!ProviderDomain.TryNormalize(address[(at + 1)..], out var domain, out error))
        {
            return false;
        }

        Span<char> handle = stackalloc char[rawHandle.Length];
        System.Text.Ascii.ToLower(rawHandle, handle, out _);
        value = Sii.ForIm(handle.ToString(), domain);
        return true;
    }

    private static IdentifierError InvalidHandle(string message) =>
        new(IdentifierErrorCodes.ImInvalidHandle, IdentifierPart.Handle, message);
}
