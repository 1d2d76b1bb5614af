using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Mimi.Discovery.Identifiers;

/// <summary>
/// Parses a <c>mailto:</c> URI (RFC 6068) that names exactly one address and no header fields, and folds it to the
/// one form it is compared in (<see cref="Fold"/>).
/// </summary>
internal static class MailtoParser
{
    /// <summary>RFC 5321 limits the local part to 64 octets.</summary>
    private const int MaxLocalPartOctets = 64;

    /// <summary>RFC 5322 atext besides letters and digits.</summary>
    private static readonly SearchValues<char> AtextSymbols = SearchValues.Create("!#$%&'*+-/=?^_`{|}~");

    /// <summary>
    /// Characters written literally in the normalized local part: RFC 3986 unreserved plus the
    /// RFC 6068 some-delims that can occur in a dot-atom. Everything else is percent-encoded.
    /// </summary>
    private static readonly SearchValues<char> Literal =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$'*+");

    internal static bool TryParse(
        string input,
        ReadOnlySpan<char> address,
        [NotNullWhen(true)] out Sii? value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = null;
        var firstAt = address.IndexOf('@');
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (c == '?')
            {
                error = new IdentifierError(
                    IdentifierErrorCodes.MailtoHeadersNotAllowed,
                    IdentifierPart.Headers,
                    $"The header fields '{address[i..]}' in '{input}' are not accepted; give only the address.");
                return false;
            }

            if (c == ',')
            {
                error = new IdentifierError(
                    IdentifierErrorCodes.MailtoMultipleRecipients,
                    IdentifierPart.Headers,
                    $"'{input}' names more than one recipient; give exactly one address.");
                return false;
            }

            if (c == '#' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                error = new IdentifierError(
                    IdentifierErrorCodes.MailtoInvalidCharacter,
                    firstAt < 0 || i < firstAt ? IdentifierPart.LocalPart : IdentifierPart.Domain,
                    c == '#'
                        ? $"'{input}' contains a fragment ('#'), which a mailto: URI cannot have."
                        : $"'{input}' contains {(char.IsWhiteSpace(c) ? "whitespace" : "a control character")} ({InputRules.Describe(c)}).");
                return false;
            }
        }

        var at = firstAt;
        if (at < 0)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.MailtoMissingAt,
                IdentifierPart.Domain,
                $"'{input}' has no '@'; expected mailto:local@domain.");
            return false;
        }

        if (address.LastIndexOf('@') != at)
        {
            error = InvalidLocalPart($"'{input}' contains more than one '@'; quoted local parts are not accepted.");
            return false;
        }

        var rawLocal = address[..at];
        if (rawLocal.IsEmpty)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.MailtoEmptyLocalPart,
                IdentifierPart.LocalPart,
                $"'{input}' has nothing before the '@'.");
            return false;
        }

        if (!PercentEncoding.TryDecode(rawLocal, out var local))
        {
            error = BadPercentEncoding(input, IdentifierPart.LocalPart, rawLocal);
            return false;
        }

        if (!TryCheckDotAtom(input, local, out error))
        {
            return false;
        }

        local = Fold(local);

        if (Encoding.UTF8.GetByteCount(local) > MaxLocalPartOctets)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.MailtoLocalPartTooLong,
                IdentifierPart.LocalPart,
                $"The local part of '{input}' is longer than {MaxLocalPartOctets} octets.");
            return false;
        }

        var rawDomain = address[(at + 1)..];
        if (!PercentEncoding.TryDecode(rawDomain, out var decodedDomain))
        {
            error = BadPercentEncoding(input, IdentifierPart.Domain, rawDomain);
            return false;
        }

        if (!ProviderDomain.TryNormalize(decodedDomain, out var domain, out error))
        {
            return false;
        }

        var builder = new StringBuilder(7 + local.Length + 1 + domain.Length);
        builder.Append("mailto:");
        PercentEncoding.AppendEncoded(builder, local, Literal);
        builder.Append('@').Append(domain);
        value = Sii.ForMailto(builder.ToString(), local, domain);
        return true;
    }

    /// <summary>
    /// The one form an address is compared, limited and stored in: the whole address case-folded, as Matrix settled
    /// for its identifiers (MSC2265). RFC 5321 lets a mail system treat local parts case-sensitively, but none that
    /// users meet does, and letter case must not make one address several (each with its own send limit and mapping).
    /// Unicode simple lower-casing (invariant), the same on every machine; the service runs with invariant
    /// globalization, where .NET offers no Unicode normalization, so precomposed and combining spellings of a
    /// non-ASCII letter stay two addresses.
    /// </summary>
    internal static string Fold(string local) => local.ToLowerInvariant();

    /// <summary>dot-atom-text of RFC 5322 with RFC 6532's UTF-8 extension of atext.</summary>
    private static bool TryCheckDotAtom(string input, string local, [NotNullWhen(false)] out IdentifierError? error)
    {
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            error = InvalidLocalPart($"The local part '{local}' of '{input}' starts or ends with a dot or has two dots in a row.");
            return false;
        }

        foreach (var c in local)
        {
            var allowed = c switch
            {
                '.' => true,
                < '\u0080' => char.IsAsciiLetterOrDigit(c) || AtextSymbols.Contains(c),
                _ => !char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format,
            };
            if (!allowed)
            {
                error = InvalidLocalPart($"The local part '{local}' of '{input}' contains {InputRules.Describe(c)}; quoted local parts are not accepted.");
                return false;
            }
        }

        error = null;
        return true;
    }

    private static IdentifierError InvalidLocalPart(string message) =>
        new(IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart, message);

    private static IdentifierError BadPercentEncoding(string input, string part, ReadOnlySpan<char> raw) =>
        new(
            IdentifierErrorCodes.MailtoBadPercentEncoding,
            part,
            $"'{raw}' in '{input}' has a '%' not followed by two hex digits, or encodes bytes that are not UTF-8.");
}
