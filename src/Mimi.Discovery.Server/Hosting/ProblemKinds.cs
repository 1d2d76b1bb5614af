namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Every problem kind the service answers with: the <c>type</c> of a problem is <see cref="TypePrefix"/> followed by one
/// of these. The README's "Errors" table documents each one (a test holds the two equal); code names a kind only
/// through these constants.
/// </summary>
internal static class ProblemKinds
{
    /// <summary>What every problem <c>type</c> starts with.</summary>
    public const string TypePrefix = "urn:mimi-discovery:problem:";

    /// <summary>400: a field or parameter is missing or malformed (<c>field</c> names it); also malformed JSON.</summary>
    public const string InvalidRequest = "invalid-request";

    /// <summary>400: an SII, SSI or domain does not parse (<c>field</c>, <c>code</c>).</summary>
    public const string InvalidIdentifier = "invalid-identifier";

    /// <summary>400: a TLS-encoded MIMI body does not decode, is over its size limit, or the hub refuses it.</summary>
    public const string InvalidMessage = "invalid-message";

    /// <summary>400: a message of an abuse report has no frank this hub made (<c>messageIndex</c> names it).</summary>
    public const string InvalidFrank = "invalid-frank";

    /// <summary>400: an uploaded KeyPackage fails RFC 9420 §10.1.</summary>
    public const string InvalidKeyPackage = "invalid-key-package";

    /// <summary>400: the room's public MLS group state refuses a commit or proposal (<c>check</c> names the failed check); also a follower refusing a notify.</summary>
    public const string MlsCommitRefused = "mls-commit-refused";

    /// <summary>400: a wrong, expired, used or exhausted one-time code.</summary>
    public const string ProofOfControlFailed = "proof-of-control-failed";

    /// <summary>401: the token endpoint refused the client (RFC 6749 <c>invalid_client</c>).</summary>
    public const string OAuthInvalidClient = "oauth-invalid-client";

    /// <summary>400: the token endpoint refused the grant (RFC 6749 <c>invalid_grant</c>, a replayed assertion).</summary>
    public const string OAuthInvalidGrant = "oauth-invalid-grant";

    /// <summary>400: the token request is malformed (RFC 6749 <c>invalid_request</c>).</summary>
    public const string OAuthInvalidRequest = "oauth-invalid-request";

    /// <summary>400: a grant type other than client credentials (RFC 6749 <c>unsupported_grant_type</c>).</summary>
    public const string OAuthUnsupportedGrantType = "oauth-unsupported-grant-type";

    /// <summary>400: an operator console sign-in link that is unknown, used before or expired.</summary>
    public const string SignInLinkInvalid = "sign-in-link-invalid";

    /// <summary>401: no, expired or revoked access token or peer token; a suspended client.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>403: authenticated but not allowed.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>403: a request of an operator console session that changes something without a valid anti-forgery token.</summary>
    public const string AntiforgeryTokenInvalid = "antiforgery-token-invalid";

    /// <summary>404: an unknown resource, or one that is not the caller's.</summary>
    public const string NotFound = "not-found";

    /// <summary>405: the route exists but not with this method.</summary>
    public const string MethodNotAllowed = "method-not-allowed";

    /// <summary>408: the body arrived too slowly.</summary>
    public const string RequestTimeout = "request-timeout";

    /// <summary>409: the request conflicts with the current state (already enrolled, already revoked, duplicate key id).</summary>
    public const string Conflict = "conflict";

    /// <summary>413: the body is over its limit.</summary>
    public const string RequestTooLarge = "request-too-large";

    /// <summary>414: the path and query are over <c>Limits:MaxRequestTargetBytes</c>.</summary>
    public const string RequestTargetTooLong = "request-target-too-long";

    /// <summary>415: a body declared in another media type than the route's.</summary>
    public const string UnsupportedMediaType = "unsupported-media-type";

    /// <summary>429: over a send or lookup limit, with <c>Retry-After</c>.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>431: the headers are over <c>Limits:MaxRequestHeaderBytes</c> or <c>Limits:MaxRequestHeaderCount</c>.</summary>
    public const string RequestHeadersTooLarge = "request-headers-too-large";

    /// <summary>500: a log entry does not match the service's own tree; it is not served.</summary>
    public const string LogIntegrity = "log-integrity";

    /// <summary>500: a bug, logged with the request path.</summary>
    public const string Internal = "internal";

    /// <summary>502: the SMS/email gateway did not take the code.</summary>
    public const string GatewayFailed = "gateway-failed";

    /// <summary>502: the other provider refused a forwarded request (<c>peerStatus</c>).</summary>
    public const string PeerRefused = "peer-refused";

    /// <summary>503: the other provider could not be reached.</summary>
    public const string PeerUnavailable = "peer-unavailable";

    /// <summary>503: the database is unreachable, busy, or cannot be read or written.</summary>
    public const string StorageUnavailable = "storage-unavailable";

    /// <summary>503: the disk holding the database is full.</summary>
    public const string StorageFull = "storage-full";

    /// <summary>503: the database refuses writes.</summary>
    public const string StorageReadOnly = "storage-read-only";

    /// <summary>503: the shared rate-limit store cannot be reached and limits fail closed.</summary>
    public const string RateLimiterUnavailable = "rate-limiter-unavailable";
}
