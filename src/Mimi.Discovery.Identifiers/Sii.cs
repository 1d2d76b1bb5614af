using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Mimi.Discovery.Identifiers;

/// <summary>
/// A service-independent identifier (SII) in normalized form: a telephone number, an email address or
/// a messaging handle that a user can be found by, whatever provider they use.
/// </summary>
/// <remarks>
/// <para>Accepted forms, scheme matched case-insensitively and written lower-case:</para>
/// <list type="bullet">
/// <item><description>
/// <c>tel:</c> with a global number (<c>+</c>, country calling code, digits). The RFC 3966 visual
/// separators <c>- . ( )</c> are allowed and removed; anything else (a space among them) is refused, as
/// are parameters such as <c>;ext=</c>.
/// The number must be a possible number for an assigned country calling code (its length fits); it
/// need not lie in an assigned range, see <see cref="IsValidNumber"/>. Normalized to E.164:
/// <c>tel:+15550001111</c>.
/// </description></item>
/// <item><description>
/// <c>mailto:</c> with exactly one <c>local@domain</c> and no header fields. The local part is a
/// dot-atom (RFC 5322, UTF-8 allowed per RFC 6532), percent-decoded and lower-cased (the whole address
/// is compared case-insensitively, as Matrix's MSC2265 settled), at most 64 octets; the domain is
/// normalized by <see cref="ProviderDomain"/>.
/// </description></item>
/// <item><description>
/// <c>im:handle@domain</c>. Handles are case-insensitive and written lower-case: 1 to 64 characters
/// from <c>a-z</c>, <c>0-9</c>, <c>.</c>, <c>_</c> and <c>-</c>, starting and ending with a letter or
/// digit. The domain is normalized by <see cref="ProviderDomain"/>.
/// </description></item>
/// </list>
/// <para>Instances are immutable; two are equal when their normalized <see cref="Value"/>s are.</para>
/// </remarks>
public sealed class Sii : IEquatable<Sii>
{
    private readonly PhoneNumber? _number;

    private Sii(SiiKind kind, string value, string? e164, PhoneNumber? number, string? localPart, string? domain)
    {
        Kind = kind;
        Value = value;
        E164 = e164;
        Digits = e164?[1..];
        _number = number;
        LocalPart = localPart;
        Domain = domain;
    }

    /// <summary>Which kind of identifier this is.</summary>
    public SiiKind Kind { get; }

    /// <summary>The normalized URI, e.g. <c>tel:+15550001111</c>, <c>mailto:bob@b.example</c>, <c>im:bob@b.example</c>.</summary>
    public string Value { get; }

    /// <summary>For <see cref="SiiKind.Tel"/>, the number in E.164 form (<c>+15550001111</c>); otherwise null.</summary>
    public string? E164 { get; }

    /// <summary>
    /// For <see cref="SiiKind.Tel"/>, the E.164 digits without <c>+</c> (<c>15550001111</c>), as an
    /// RFC 8226 TNAuthList telephone number carries them; otherwise null.
    /// </summary>
    public string? Digits { get; }

    /// <summary>
    /// For <see cref="SiiKind.Tel"/>, whether the number lies in a range assigned in libphonenumber's
    /// metadata (a stricter test than the one parsing applies; fictional numbers such as
    /// <c>+15550001111</c> fail it). False for other kinds.
    /// </summary>
    public bool IsValidNumber => _number is not null && TelParser.IsValidNumber(_number);

    /// <summary>
    /// For <see cref="SiiKind.Mailto"/>, the percent-decoded, case-folded local part; for
    /// <see cref="SiiKind.Im"/>, the lower-cased handle; null for <see cref="SiiKind.Tel"/>.
    /// </summary>
    public string? LocalPart { get; }

    /// <summary>For <see cref="SiiKind.Mailto"/> and <see cref="SiiKind.Im"/>, the normalized ASCII domain; otherwise null.</summary>
    public string? Domain { get; }

    /// <summary>Parses and normalizes a service-independent identifier.</summary>
    /// <param name="input">The identifier, e.g. <c>tel:+1-212-555-1212</c>.</param>
    /// <param name="value">The normalized identifier when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the input was rejected when the method returns <see langword="false"/>.</param>
    /// <returns>Whether <paramref name="input"/> is a valid identifier. Never throws.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? input,
        [NotNullWhen(true)] out Sii? value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = null;
        if (!InputRules.TryCheck(input, "identifier", out error))
        {
            return false;
        }

        var colon = input.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SiiMissingScheme,
                IdentifierPart.Scheme,
                $"The identifier '{input}' has no scheme; expected 'tel:', 'mailto:' or 'im:'.");
            return false;
        }

        var scheme = input.AsSpan(0, colon);
        var rest = input.AsSpan(colon + 1);
        if (scheme.Equals("tel", StringComparison.OrdinalIgnoreCase))
        {
            return TelParser.TryParse(input, rest, out value, out error);
        }

        if (scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase))
        {
            return MailtoParser.TryParse(input, rest, out value, out error);
        }

        if (scheme.Equals("im", StringComparison.OrdinalIgnoreCase))
        {
            return ImParser.TryParse(input, rest, out value, out error);
        }

        error = new IdentifierError(
            IdentifierErrorCodes.SiiUnknownScheme,
            IdentifierPart.Scheme,
            $"The scheme '{scheme}' of '{input}' is not accepted; expected 'tel:', 'mailto:' or 'im:'.");
        return false;
    }

    /// <summary>Parses and normalizes a service-independent identifier.</summary>
    /// <param name="input">The identifier, e.g. <c>mailto:bob@B.Example</c>.</param>
    /// <returns>The normalized identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="IdentifierFormatException"><paramref name="input"/> is not a valid identifier.</exception>
    public static Sii Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return TryParse(input, out var value, out var error) ? value : throw new IdentifierFormatException(error);
    }

    /// <summary>Whether two identifiers have the same normalized value.</summary>
    public static bool operator ==(Sii? left, Sii? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two identifiers have different normalized values.</summary>
    public static bool operator !=(Sii? left, Sii? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(Sii? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Sii);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the normalized URI, <see cref="Value"/>.</summary>
    public override string ToString() => Value;

    internal static Sii ForTel(string e164, PhoneNumber number) =>
        new(SiiKind.Tel, string.Concat("tel:", e164), e164, number, localPart: null, domain: null);

    internal static Sii ForMailto(string value, string localPart, string domain) =>
        new(SiiKind.Mailto, value, e164: null, number: null, localPart, domain);

    internal static Sii ForIm(string handle, string domain) =>
        new(SiiKind.Im, string.Concat("im:", handle, "@", domain), e164: null, number: null, handle, domain);
}
