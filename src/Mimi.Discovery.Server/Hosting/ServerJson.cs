using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Server.Lookup.Private;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>Source-generated serialization for every wire type.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(AuthorizationServerMetadata))]
[JsonSerializable(typeof(EnrolProviderRequest))]
[JsonSerializable(typeof(SetTrustRequest))]
[JsonSerializable(typeof(ProviderView))]
[JsonSerializable(typeof(ProviderView[]))]
[JsonSerializable(typeof(ProviderKeyView))]
[JsonSerializable(typeof(Audit.AuditEventsView))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(CreateChallengeRequest))]
[JsonSerializable(typeof(ChallengeView))]
[JsonSerializable(typeof(IssueCredentialRequest))]
[JsonSerializable(typeof(RevokeRequest))]
[JsonSerializable(typeof(CredentialView))]
[JsonSerializable(typeof(CredentialView[]))]
[JsonSerializable(typeof(VrfKeysView))]
[JsonSerializable(typeof(LogEntriesView))]
[JsonSerializable(typeof(InclusionProofView))]
[JsonSerializable(typeof(ConsistencyProofView))]
[JsonSerializable(typeof(Log.Openings.IndexesRequest))]
[JsonSerializable(typeof(Log.Openings.IndexesResponse))]
[JsonSerializable(typeof(Log.Openings.OpeningsRequest))]
[JsonSerializable(typeof(Log.Openings.OpeningsResponse))]
[JsonSerializable(typeof(LookupRequest))]
[JsonSerializable(typeof(LookupResponse))]
[JsonSerializable(typeof(DiscoverabilityRequest))]
[JsonSerializable(typeof(ProviderSettingsRequest))]
[JsonSerializable(typeof(QuotaView))]
[JsonSerializable(typeof(PrivateRecordPayload))]
[JsonSerializable(typeof(PrivateLookupKeyView))]
[JsonSerializable(typeof(PrivateBucketView))]
[JsonSerializable(typeof(PrivateRotationView))]
[JsonSerializable(typeof(ImportRow))]
[JsonSerializable(typeof(ImportSummary))]
[JsonSerializable(typeof(ImportProgressView))]
[JsonSerializable(typeof(LogStateView))]
[JsonSerializable(typeof(IssuanceFeedItem[]))]
[JsonSerializable(typeof(OwnerQuotaView[]))]
internal sealed partial class ServerJson : JsonSerializerContext
{
    /// <summary>
    /// The conventions of every JSON answer, applied to the HTTP JSON options: the source-generated contexts first,
    /// and <c>+</c> and non-ASCII written as they are. ASP.NET Core's options default to this encoder already; it is
    /// stated here because JSON written outside a result (the inbox's server-sent events) takes these options too,
    /// where a context's own options would write base64 and <c>tel:</c> numbers with <c>\u002B</c>. The answers are
    /// <c>application/json</c>, never inlined into HTML, so the HTML-safe escaping buys nothing.
    /// </summary>
    public static void ConfigureAnswers(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, Default);
        options.TypeInfoResolverChain.Insert(1, Delivery.DeliveryJson.Default);
        options.TypeInfoResolverChain.Insert(2, Consent.ConsentJson.Default);
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }
}
