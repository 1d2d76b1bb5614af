using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Protocol;

/// <summary>A MIMI URI as the draft writes them: <c>mimi://domain</c> or <c>mimi://domain/{u|d|r|g}/id</c>.</summary>
public sealed record MimiUri(MimiUriKind Kind, string Domain, string? Id)
{
    private const string Scheme = "mimi://";

    /// <summary>The provider URI of <paramref name="domain"/>.</summary>
    public static MimiUri Provider(string domain) => Create(MimiUriKind.Provider, domain, null);

    /// <summary>A user URI.</summary>
    public static MimiUri User(string domain, string user) => Create(MimiUriKind.User, domain, user);

    /// <summary>A client URI.</summary>
    public static MimiUri Client(string domain, string client) => Create(MimiUriKind.Client, domain, client);

    /// <summary>A room URI.</summary>
    public static MimiUri Room(string domain, string room) => Create(MimiUriKind.Room, domain, room);

    /// <summary>Parses a MIMI URI; the domain is lower-cased.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MimiUri? uri)
    {
        uri = null;
        if (text is null || !text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = text.AsSpan(Scheme.Length);
        var slash = rest.IndexOf('/');
        var domain = (slash < 0 ? rest : rest[..slash]).ToString().ToLowerInvariant();
        if (!IsDomain(domain))
        {
            return false;
        }

        if (slash < 0)
        {
            uri = new MimiUri(MimiUriKind.Provider, domain, null);
            return true;
        }

        var path = rest[(slash + 1)..];
        if (path.Length < 3 || path[1] != '/')
        {
            return false;
        }

        MimiUriKind? kind = path[0] switch
        {
            'u' => MimiUriKind.User,
            'd' => MimiUriKind.Client,
            'r' => MimiUriKind.Room,
            'g' => MimiUriKind.Group,
            _ => null,
        };
        var id = path[2..].ToString();
        if (kind is null || !IsId(id))
        {
            return false;
        }

        uri = new MimiUri(kind.Value, domain, id);
        return true;
    }

    /// <summary>The URI text.</summary>
    public override string ToString() => Kind switch
    {
        MimiUriKind.Provider => Scheme + Domain,
        MimiUriKind.User => $"{Scheme}{Domain}/u/{Id}",
        MimiUriKind.Client => $"{Scheme}{Domain}/d/{Id}",
        MimiUriKind.Room => $"{Scheme}{Domain}/r/{Id}",
        _ => $"{Scheme}{Domain}/g/{Id}",
    };

    private static MimiUri Create(MimiUriKind kind, string domain, string? id)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var lower = domain.ToLowerInvariant();
        if (!IsDomain(lower))
        {
            throw new ArgumentException($"'{domain}' is not a domain name.", nameof(domain));
        }

        if (kind != MimiUriKind.Provider && !IsId(id))
        {
            throw new ArgumentException($"'{id}' is not a valid MIMI identifier (RFC 3986 pchar, no '/').", nameof(id));
        }

        return new MimiUri(kind, lower, id);
    }

    private static bool IsDomain(string domain)
    {
        if (domain.Length is 0 or > 253 || domain[0] is '.' or '-' || domain[^1] is '.' or '-')
        {
            return false;
        }

        foreach (var c in domain)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return !domain.Contains("..", StringComparison.Ordinal);
    }

    // RFC 3986 pchar minus '/': unreserved, pct-encoded, sub-delims, ':' and '@'.
    private static bool IsId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (c == '%')
            {
                if (i + 2 >= id.Length || !char.IsAsciiHexDigit(id[i + 1]) || !char.IsAsciiHexDigit(id[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (!(char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
