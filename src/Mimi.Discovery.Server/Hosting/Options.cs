using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Hosting;

internal enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where state lives. The embedded default is a SQLite file in <see cref="DataDirectory"/>.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Npgsql connection string; required when <see cref="Provider"/> is Postgres.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The authority's identity and keys.</summary>
internal sealed class AuthorityOptions
{
    public const string Section = "Authority";

    /// <summary>
    /// Public base URL of this service: the issuer of tokens and assertions, and the base of the token endpoint.
    /// When not set, the address the service listens on (<see cref="DefaultIssuer"/>).
    /// </summary>
    public string Issuer { get; set; } = "";

    /// <summary>Directory of the signing keys and the CA; defaults to <c>{DataDirectory}/keys</c>.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>Create missing keys (a development CA, signing keys, a development operator) on start-up.</summary>
    public bool CreateDevelopmentKeys { get; set; } = true;

    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan CrlLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Client authentication (RFC 7523 private_key_jwt) and access tokens.</summary>
internal sealed class ClientAuthenticationOptions
{
    public const string Section = "Authentication";

    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a client assertion may live (exp − now); longer ones are refused.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:15:00")]
    public TimeSpan ClientAssertionMaxLifetime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a replica checks the shared directory for provider changes made by other replicas.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan DirectoryRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>HMAC key for access tokens, base64 (at least 32 bytes); defaults to the key file <c>token-signing.key</c>.</summary>
    public string? TokenSigningKey { get; set; }

    /// <summary>Operator clients: they authenticate like providers and get the operator role.</summary>
    public List<OperatorClientOptions> Operators { get; set; } = [];
}

internal sealed class OperatorClientOptions
{
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The operator's public key as a JWK (JSON text).</summary>
    public string? Jwk { get; set; }

    /// <summary>A file holding the operator's public JWK.</summary>
    public string? JwkFile { get; set; }
}

internal enum GatewayKind
{
    DevelopmentLog,
    Http,
}

/// <summary>Proof of control of an identifier by one-time code.</summary>
internal sealed class ProofOfControlOptions
{
    public const string Section = "ProofOfControl";

    public GatewayKind Gateway { get; set; } = GatewayKind.DevelopmentLog;

    public HttpGatewayOptions Http { get; set; } = new();

    [Range(6, 10)]
    public int CodeLength { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SendWindow { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 1000)]
    public int SendsPerIdentifier { get; set; } = 5;

    [Range(1, 10_000_000)]
    public int SendsPerProvider { get; set; } = 10_000;
}

internal sealed class HttpGatewayOptions
{
    /// <summary>The gateway's send URL (HTTPS outside development).</summary>
    public string? Url { get; set; }

    /// <summary>Bearer credential for the gateway; a secret, never logged.</summary>
    public string? ApiKey { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>The issuance log.</summary>
internal sealed class LogOptions
{
    public const string Section = "Log";

    /// <summary>Checkpoint origin line (C2SP tlog-checkpoint), e.g. <c>discovery.example/log</c>; also the signer's key name.</summary>
    [Required]
    [RegularExpression(@"^[^\s+]+$", ErrorMessage = "Log:Origin is the checkpoint origin and the key name: no spaces and no '+'.")]
    public string Origin { get; set; } = "localhost/mimi-discovery/log";

    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 1000;

    [Range(1, 10_000)]
    public int MaxEntriesPerRequest { get; set; } = 1000;

    /// <summary>Full tiles are immutable and kept in memory up to this many.</summary>
    [Range(16, 10_000_000)]
    public int TileCacheSize { get; set; } = 65_536;
}

/// <summary>Request limits.</summary>
internal sealed class RequestLimitOptions
{
    public const string Section = "Limits";

    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The longest request target (path and query) answered; longer is a 414 problem. Kestrel itself is set to four
    /// times this, beyond which it refuses the request without a body.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestTargetBytes { get; set; } = 8 * 1024;

    /// <summary>The most header bytes (names and values) answered; more is a 431 problem. Kestrel itself is set to four times this.</summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>The most header fields answered; more is a 431 problem. Kestrel itself is set to four times this.</summary>
    [Range(16, 10_000)]
    public int MaxRequestHeaderCount { get; set; } = 100;
}

/// <summary>Bulk import of verified mappings by trusted providers (<c>POST /v1/authority/import</c>).</summary>
internal sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>The largest import body; far above <see cref="RequestLimitOptions.MaxRequestBodyBytes"/>, for this endpoint only.</summary>
    [Range(1024, 1L << 40)]
    public long MaxBodyBytes { get; set; } = 1L << 30;

    /// <summary>The longest line; a longer one is rejected (and skipped) without stopping the import.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxLineBytes { get; set; } = 16 * 1024;

    /// <summary>Rows signed together and appended to the log in one transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Rejected rows listed in the answer; all of them are counted.</summary>
    [Range(0, 100_000)]
    public int MaxReportedErrors { get; set; } = 100;
}
