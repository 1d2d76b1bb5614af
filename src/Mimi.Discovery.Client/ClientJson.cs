using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

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
[JsonSerializable(typeof(AuditEventsPage))]
internal sealed partial class ClientJson : JsonSerializerContext;
