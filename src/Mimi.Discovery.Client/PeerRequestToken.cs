using System.Buffers.Text;
using System.Security.Cryptography;

namespace Mimi.Discovery.Client;

/// <summary>
/// How one provider authenticates a provider-to-provider MIMI request: a short-lived compact JWS, signed with a key the
/// provider enrolled at the discovery service, in <c>Authorization: Mimi-Peer &lt;token&gt;</c>. It binds the
/// source domain (<c>iss</c>), the destination domain (<c>aud</c>), the method (<c>htm</c>), the request target
/// (<c>htu</c>, path and query as sent), the body (<c>bh</c>, base64url SHA-256) and a one-time <c>jti</c>.
/// The destination verifies it with the source's keys from the discovery service.
/// </summary>
public static class PeerRequestToken
{
    /// <summary>The authorization scheme name.</summary>
    public const string Scheme = "Mimi-Peer";

    /// <summary>The JWS <c>typ</c> header value.</summary>
    public const string Type = "mimi-peer+jwt";

    /// <summary>The header carrying the sender's id for a message, so a retried delivery is processed once.</summary>
    public const string MessageIdHeader = "Mimi-Message-Id";

    /// <summary>The longest lifetime (exp − iat) a destination accepts.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(120);

    /// <summary>Creates a token for one request.</summary>
    public static string Create(ClientCredentials credentials, string destinationDomain, string method, string pathAndQuery, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var claims = new Dictionary<string, object>
        {
            ["iss"] = credentials.ClientId,
            ["aud"] = destinationDomain,
            ["htm"] = method,
            ["htu"] = pathAndQuery,
            ["bh"] = BodyHash(body),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromSeconds(60))).ToUnixTimeSeconds(),
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        return credentials.SignJws(claims, Type);
    }

    /// <summary>The <c>bh</c> claim of a body: base64url(SHA-256(body)).</summary>
    public static string BodyHash(ReadOnlySpan<byte> body) => Base64Url.EncodeToString(SHA256.HashData(body));
}
