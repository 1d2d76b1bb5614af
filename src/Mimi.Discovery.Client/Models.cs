using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

/// <summary>An enrolled provider as the service shows it.</summary>
public sealed record Provider(string Domain, string DisplayName, string Contact, bool Trusted, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ProviderKey[] Keys);

/// <summary>A provider's public signing key.</summary>
public sealed record ProviderKey(string Kid, JsonElement Jwk, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>A one-time code challenge that was sent.</summary>
public sealed record Challenge(string ChallengeId, string Sii, string Ssi, string Channel, DateTimeOffset ExpiresAt);

/// <summary>An issued credential: certificate and chain (PEM), mapping assertion (JWS) and log position.</summary>
public sealed record Credential(string Serial, string Provider, string Sii, string Ssi, string[] Tags, string Attestation,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, long LogIndex, string Assertion, string Certificate, string? Chain,
    DateTimeOffset? RevokedAt, string? RevocationReason, long? RevocationLogIndex);

/// <summary>A page of log entries.</summary>
public sealed record LogEntries(long TreeSize, LogEntry[] Entries);

/// <summary>One log entry: its index and its exact bytes (base64).</summary>
public sealed record LogEntry(long Index, string Data);

/// <summary>An RFC 9162 inclusion proof.</summary>
public sealed record InclusionProof(long Index, long TreeSize, string[] Hashes);

/// <summary>An RFC 9162 consistency proof.</summary>
public sealed record ConsistencyProof(long From, long To, string[] Hashes);

/// <summary>An RFC 9457 problem details body.</summary>
public sealed class Problem
{
    /// <summary>The stable problem type URI.</summary>
    public string? Type { get; init; }

    /// <summary>Short summary.</summary>
    public string? Title { get; init; }

    /// <summary>HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong, for a person.</summary>
    public string? Detail { get; init; }

    /// <summary>Extension members (field, code, error …).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>A lookup answer: per identifier, its status (none, no-providers, found) and the mappings the caller may see.</summary>
public sealed record LookupResults(LookupResult[] Results);

/// <summary>One identifier's answer.</summary>
public sealed record LookupResult(string Sii, string Status, LookupMapping[] Mappings);

/// <summary>A mapping: the user, its provider, preference tags, the signed assertion and where to claim KeyPackages.</summary>
public sealed record LookupMapping(string Ssi, string Provider, string[] Tags, string Assertion, string? KeyMaterial, string Serial, DateTimeOffset NotAfter);

/// <summary>
/// The outcome of a bulk import upload: rows issued and logged, rows rejected (all counted, the first listed), the log
/// range written, and for a resumable import its id, the lines skipped as committed before, and the last line read.
/// </summary>
public sealed record ImportResult(long Imported, long Rejected, ImportRowError[] Errors, long? FirstLogIndex, long? LastLogIndex,
    string? ImportId = null, long Skipped = 0, long LastLine = 0);

/// <summary>
/// What a resumable import has committed: every line up to <see cref="ThroughLine"/> is done (its rows imported and
/// logged, or rejected), whatever the client heard of it.
/// </summary>
public sealed record ImportProgress(string ImportId, long ThroughLine, long Imported, long Rejected, long? FirstLogIndex, long? LastLogIndex,
    DateTimeOffset UpdatedAt);

/// <summary>A rejected import line: its number (from 1), the field at fault, a stable code and the reason.</summary>
public sealed record ImportRowError(long Line, string Field, string Code, string Detail);

/// <summary>An owner's quotas (null: the operator's default).</summary>
public sealed record OwnerQuotas(int? LookupsPerRequester, int? LookupsTotal, int? ClaimsPerRequester, int? ClaimsTotal, int? WindowSeconds);

internal sealed record LookupBody(string[] Identifiers);

internal sealed record DiscoverabilityBody(string Mode, string[]? Providers);

internal sealed record SettingsBody(string? KeyMaterialUrl);

internal sealed record TokenAnswer(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);

internal sealed record EnrolRequest(string Domain, string? DisplayName, string Contact, bool Trusted, JsonElement[] Keys);

internal sealed record ChallengeRequest(string Sii, string Ssi);

internal sealed record IssueRequest(string Sii, string Ssi, string PublicKey, string[] Tags, string? ChallengeId, string? Code, bool? Attested);

internal sealed record RevokeBody(string Reason);

internal sealed record TrustBody(bool Trusted);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Provider))]
[JsonSerializable(typeof(Provider[]))]
[JsonSerializable(typeof(ProviderKey))]
[JsonSerializable(typeof(Challenge))]
[JsonSerializable(typeof(Credential))]
[JsonSerializable(typeof(Credential[]))]
[JsonSerializable(typeof(LogEntries))]
[JsonSerializable(typeof(InclusionProof))]
[JsonSerializable(typeof(ConsistencyProof))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(TokenAnswer))]
[JsonSerializable(typeof(EnrolRequest))]
[JsonSerializable(typeof(ChallengeRequest))]
[JsonSerializable(typeof(IssueRequest))]
[JsonSerializable(typeof(RevokeBody))]
[JsonSerializable(typeof(TrustBody))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(LookupResults))]
[JsonSerializable(typeof(OwnerQuotas))]
[JsonSerializable(typeof(LookupBody))]
[JsonSerializable(typeof(DiscoverabilityBody))]
[JsonSerializable(typeof(SettingsBody))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(ImportProgress))]
internal sealed partial class ClientJson : JsonSerializerContext;
