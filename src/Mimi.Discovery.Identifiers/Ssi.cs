using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Mimi.Discovery.Identifiers;

/// <summary>
/// A service-specific identifier (SSI): a <c>mimi://</c> URI of draft-ietf-mimi-protocol naming a
/// provider, or a user, client or room at a provider.
/// </summary>
/// <remarks>
/// <para>
/// Grammar accepted: <c>mimi://</c> <i>domain</i> [ <c>/</c> <i>kind</i> <c>/</c> <i>local-part</i> ],
/// with <i>kind</i> one of <c>u</c> (user), <c>d</c> (client), <c>r</c> (room), case-sensitive. The
/// draft places the provider's domain name in the <c>host</c> of the URI authority, so user
/// information, ports and IP literals are rejected; the domain is normalized by
/// <see cref="ProviderDomain"/>. A query, a fragment, further path segments and an empty local part
/// are rejected. <c>mimi://a.example/</c> is read as the provider <c>mimi://a.example</c>.
/// </para>
/// <para>
/// The local part is case-sensitive and is a single RFC 3986 path segment. Its normalized form
/// writes unreserved characters, sub-delims, <c>:</c> and <c>@</c> literally and percent-encodes
/// everything else as UTF-8 with upper-case hex (non-ASCII input is accepted and encoded), so
/// <c>%61lice</c> and <c>alice</c> are the same identifier.
/// </para>
/// <para>Instances are immutable; two are equal when their normalized <see cref="Value"/>s are.</para>
/// </remarks>
public sealed class Ssi : IEquatable<Ssi>
{
    private const string Prefix = "mimi://";

    /// <summary>Characters of a path segment written literally: unreserved, sub-delims, ':' and '@'.</summary>
    private static readonly SearchValues<char> SegmentLiteral =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@");

    private Ssi? _provider;

    private Ssi(SsiKind kind, string value, string domain, string? localPart)
    {
        Kind = kind;
        Value = value;
        Domain = domain;
        LocalPart = localPart;
    }

    /// <summary>Which kind of identifier this is.</summary>
    public SsiKind Kind { get; }

    /// <summary>The normalized URI, e.g. <c>mimi://b.example/u/bob</c>.</summary>
    public string Value { get; }

    /// <summary>The provider's normalized ASCII domain, e.g. <c>b.example</c>.</summary>
    public string Domain { get; }

    /// <summary>The percent-decoded local part (<c>bob</c>), or null for <see cref="SsiKind.Provider"/>.</summary>
    public string? LocalPart { get; }

    /// <summary>The provider this identifier belongs to (itself for <see cref="SsiKind.Provider"/>).</summary>
    public Ssi Provider => Kind == SsiKind.Provider ? this : _provider ??= ForProvider(Domain);

    /// <summary>Parses and normalizes a <c>mimi://</c> identifier.</summary>
    /// <param name="input">The identifier, e.g. <c>MIMI://B.Example/u/bob</c>.</param>
    /// <param name="value">The normalized identifier when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the input was rejected when the method returns <see langword="false"/>.</param>
    /// <returns>Whether <paramref name="input"/> is a valid identifier. Never throws.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? input,
        [NotNullWhen(true)] out Ssi? value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = null;
        if (!InputRules.TryCheck(input, "identifier", out error))
        {
            return false;
        }

        var colon = input.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !input.AsSpan(0, colon).Equals("mimi", StringComparison.OrdinalIgnoreCase))
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiUnknownScheme,
                IdentifierPart.Scheme,
                $"'{input}' is not a mimi:// URI.");
            return false;
        }

        if (!input.AsSpan(colon + 1).StartsWith("//", StringComparison.Ordinal))
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiMissingAuthority,
                IdentifierPart.Authority,
                $"'{input}' has no '//' and provider domain after 'mimi:'.");
            return false;
        }

        var rest = input.AsSpan(Prefix.Length);
        var query = rest.IndexOf('?');
        var fragment = rest.IndexOf('#');
        if (query >= 0 && (fragment < 0 || query < fragment))
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiQueryNotAllowed,
                IdentifierPart.Query,
                $"The query '{rest[query..]}' in '{input}' is not accepted.");
            return false;
        }

        if (fragment >= 0)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiFragmentNotAllowed,
                IdentifierPart.Fragment,
                $"The fragment '{rest[fragment..]}' in '{input}' is not accepted.");
            return false;
        }

        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? [] : rest[slash..];
        if (!TryParseAuthority(input, authority, out var domain, out error))
        {
            return false;
        }

        // An empty path and "/" name the same resource (RFC 3986 section 6.2.3).
        if (path.Length <= 1)
        {
            value = ForProvider(domain);
            return true;
        }

        return TryParsePath(input, domain, path[1..], out value, out error);
    }

    /// <summary>Parses and normalizes a <c>mimi://</c> identifier.</summary>
    /// <param name="input">The identifier, e.g. <c>mimi://a.example/r/clubhouse</c>.</param>
    /// <returns>The normalized identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="IdentifierFormatException"><paramref name="input"/> is not a valid identifier.</exception>
    public static Ssi Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return TryParse(input, out var value, out var error) ? value : throw new IdentifierFormatException(error);
    }

    /// <summary>Whether two identifiers have the same normalized value.</summary>
    public static bool operator ==(Ssi? left, Ssi? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two identifiers have different normalized values.</summary>
    public static bool operator !=(Ssi? left, Ssi? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(Ssi? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Ssi);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the normalized URI, <see cref="Value"/>.</summary>
    public override string ToString() => Value;

    private static Ssi ForProvider(string domain) => new(SsiKind.Provider, string.Concat(Prefix, domain), domain, localPart: null);

    private static bool TryParseAuthority(
        string input,
        ReadOnlySpan<char> authority,
        [NotNullWhen(true)] out string? domain,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        domain = null;
        if (authority.Contains('@'))
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiUserInfoNotAllowed,
                IdentifierPart.UserInfo,
                $"The authority '{authority}' of '{input}' carries user information; only the provider domain is allowed.");
            return false;
        }

        if (authority.Contains(':') || authority.StartsWith('['))
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiPortNotAllowed,
                IdentifierPart.Port,
                $"The authority '{authority}' of '{input}' carries a port or an IP literal; only the provider domain is allowed.");
            return false;
        }

        if (!PercentEncoding.TryDecode(authority, out var decoded))
        {
            error = BadPercentEncoding(input, IdentifierPart.Domain, authority);
            return false;
        }

        return ProviderDomain.TryNormalize(decoded, out domain, out error);
    }

    private static bool TryParsePath(
        string input,
        string domain,
        ReadOnlySpan<char> path,
        [NotNullWhen(true)] out Ssi? value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = null;
        var slash = path.IndexOf('/');
        var kindSegment = slash < 0 ? path : path[..slash];
        SsiKind? kind = kindSegment switch
        {
            "u" => SsiKind.User,
            "d" => SsiKind.Client,
            "r" => SsiKind.Room,
            _ => null,
        };
        if (kind is null)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiUnknownKind,
                IdentifierPart.Kind,
                $"The kind '{kindSegment}' in '{input}' is not known; expected 'u' (user), 'd' (client) or 'r' (room).");
            return false;
        }

        var rawLocal = slash < 0 ? [] : path[(slash + 1)..];
        var extra = rawLocal.IndexOf('/');
        if (extra >= 0)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiExtraSegments,
                IdentifierPart.Path,
                $"The path of '{input}' has segments after '{rawLocal[..extra]}'; expected /{kindSegment}/<local part> only.");
            return false;
        }

        if (rawLocal.IsEmpty)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.SsiMissingLocalPart,
                IdentifierPart.LocalPart,
                $"'{input}' names the kind '{kindSegment}' but no local part after it.");
            return false;
        }

        foreach (var c in rawLocal)
        {
            if (c < '\u0080' ? !SegmentLiteral.Contains(c) && c != '%' : char.IsWhiteSpace(c) || char.IsControl(c))
            {
                error = InvalidCharacter(input, c);
                return false;
            }
        }

        if (!PercentEncoding.TryDecode(rawLocal, out var local))
        {
            error = BadPercentEncoding(input, IdentifierPart.LocalPart, rawLocal);
            return false;
        }

        foreach (var c in local)
        {
            if (char.IsControl(c))
            {
                error = InvalidCharacter(input, c);
                return false;
            }
        }

        var builder = new StringBuilder(Prefix.Length + domain.Length + 3 + rawLocal.Length);
        builder.Append(Prefix).Append(domain).Append('/').Append(kindSegment).Append('/');
        PercentEncoding.AppendEncoded(builder, local, SegmentLiteral);
        value = new Ssi(kind.Value, builder.ToString(), domain, local);
        error = null;
        return true;
    }

    private static IdentifierError InvalidCharacter(string input, char c) =>
        new(
            IdentifierErrorCodes.SsiInvalidCharacter,
            IdentifierPart.LocalPart,
            $"The local part of '{input}' contains {InputRules.Describe(c)}, which a mimi:// path segment cannot hold.");

    private static IdentifierError BadPercentEncoding(string input, string part, ReadOnlySpan<char> raw) =>
        new(
            IdentifierErrorCodes.SsiBadPercentEncoding,
            part,
            $"'{raw}' in '{input}' has a '%' not followed by two hex digits, or encodes bytes that are not UTF-8.");
}
