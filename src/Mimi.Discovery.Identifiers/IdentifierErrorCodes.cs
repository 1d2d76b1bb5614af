namespace Mimi.Discovery.Identifiers;

/// <summary>The stable codes carried by <see cref="IdentifierError.Code"/>.</summary>
public static class IdentifierErrorCodes
{
    /// <summary>The input is null or empty.</summary>
    public const string InputEmpty = "input.empty";

    /// <summary>The input is longer than the accepted maximum.</summary>
    public const string InputTooLong = "input.too-long";

    /// <summary>The input starts or ends with whitespace.</summary>
    public const string InputSurroundingWhitespace = "input.surrounding-whitespace";

    /// <summary>The input has no <c>scheme:</c> prefix.</summary>
    public const string SiiMissingScheme = "sii.missing-scheme";

    /// <summary>The scheme is not <c>tel</c>, <c>mailto</c> or <c>im</c>.</summary>
    public const string SiiUnknownScheme = "sii.unknown-scheme";

    /// <summary>The telephone number does not start with <c>+</c> (RFC 3966 local numbers are not accepted).</summary>
    public const string TelNotGlobal = "tel.not-global";

    /// <summary>The telephone number contains something other than digits and visual separators.</summary>
    public const string TelInvalidCharacter = "tel.invalid-character";

    /// <summary>The <c>tel:</c> URI carries parameters such as <c>;ext=</c> or <c>;phone-context=</c>.</summary>
    public const string TelParametersNotAllowed = "tel.parameters-not-allowed";

    /// <summary>The country calling code is not assigned.</summary>
    public const string TelUnknownCountryCode = "tel.unknown-country-code";

    /// <summary>The number has a length that no number under its country calling code can have.</summary>
    public const string TelImpossibleNumber = "tel.impossible-number";

    /// <summary>The <c>mailto:</c> address has no <c>@</c>.</summary>
    public const string MailtoMissingAt = "mailto.missing-at";

    /// <summary>The <c>mailto:</c> URI names more than one recipient.</summary>
    public const string MailtoMultipleRecipients = "mailto.multiple-recipients";

    /// <summary>The <c>mailto:</c> URI carries header fields (<c>?subject=…</c>).</summary>
    public const string MailtoHeadersNotAllowed = "mailto.headers-not-allowed";

    /// <summary>The <c>mailto:</c> URI contains whitespace, a control character or a fragment.</summary>
    public const string MailtoInvalidCharacter = "mailto.invalid-character";

    /// <summary>A percent sign in the <c>mailto:</c> URI is not followed by two hex digits, or the bytes are not UTF-8.</summary>
    public const string MailtoBadPercentEncoding = "mailto.bad-percent-encoding";

    /// <summary>The local part before <c>@</c> is empty.</summary>
    public const string MailtoEmptyLocalPart = "mailto.empty-local-part";

    /// <summary>The local part is not a dot-atom (quoted local parts are not accepted).</summary>
    public const string MailtoInvalidLocalPart = "mailto.invalid-local-part";

    /// <summary>The local part is longer than 64 octets (RFC 5321).</summary>
    public const string MailtoLocalPartTooLong = "mailto.local-part-too-long";

    /// <summary>The <c>im:</c> URI has no <c>@</c>.</summary>
    public const string ImMissingAt = "im.missing-at";

    /// <summary>The handle before <c>@</c> is empty.</summary>
    public const string ImEmptyHandle = "im.empty-handle";

    /// <summary>The handle contains characters outside the allowed set or starts or ends with punctuation.</summary>
    public const string ImInvalidHandle = "im.invalid-handle";

    /// <summary>The handle is longer than 64 characters.</summary>
    public const string ImHandleTooLong = "im.handle-too-long";

    /// <summary>The domain is empty.</summary>
    public const string DomainEmpty = "domain.empty";

    /// <summary>A domain label is empty, longer than 63 octets, or not letters, digits and inner hyphens.</summary>
    public const string DomainInvalidLabel = "domain.invalid-label";

    /// <summary>An internationalized label cannot be converted to or from its ASCII (Punycode) form.</summary>
    public const string DomainInvalidIdn = "domain.invalid-idn";

    /// <summary>The domain is longer than 253 octets in its ASCII form.</summary>
    public const string DomainTooLong = "domain.too-long";

    /// <summary>The domain has a single label; provider domains need at least two.</summary>
    public const string DomainSingleLabel = "domain.single-label";

    /// <summary>The last label is all digits (an IPv4 address, not a domain name).</summary>
    public const string DomainNumericTld = "domain.numeric-tld";

    /// <summary>The scheme is not <c>mimi</c>.</summary>
    public const string SsiUnknownScheme = "ssi.unknown-scheme";

    /// <summary>The <c>mimi:</c> URI has no <c>//authority</c>.</summary>
    public const string SsiMissingAuthority = "ssi.missing-authority";

    /// <summary>The authority carries user information (<c>user@</c>).</summary>
    public const string SsiUserInfoNotAllowed = "ssi.userinfo-not-allowed";

    /// <summary>The authority carries a port, or is an IP literal.</summary>
    public const string SsiPortNotAllowed = "ssi.port-not-allowed";

    /// <summary>The URI has a query component.</summary>
    public const string SsiQueryNotAllowed = "ssi.query-not-allowed";

    /// <summary>The URI has a fragment component.</summary>
    public const string SsiFragmentNotAllowed = "ssi.fragment-not-allowed";

    /// <summary>The first path segment is not <c>u</c>, <c>d</c> or <c>r</c>.</summary>
    public const string SsiUnknownKind = "ssi.unknown-kind";

    /// <summary>The path names a kind but no local part.</summary>
    public const string SsiMissingLocalPart = "ssi.missing-local-part";

    /// <summary>The path has more than two segments.</summary>
    public const string SsiExtraSegments = "ssi.extra-segments";

    /// <summary>The local part contains whitespace, a control character or a character a path segment cannot hold.</summary>
    public const string SsiInvalidCharacter = "ssi.invalid-character";

    /// <summary>A percent sign is not followed by two hex digits, or the bytes are not UTF-8.</summary>
    public const string SsiBadPercentEncoding = "ssi.bad-percent-encoding";
}
