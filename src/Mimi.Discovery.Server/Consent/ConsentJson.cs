using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Server.Consent;

/// <summary>Source-generated serialization for the consent API's JSON wire types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConsentTargetBody))]
[JsonSerializable(typeof(ConsentRequesterBody))]
[JsonSerializable(typeof(BlockBody))]
[JsonSerializable(typeof(ConsentModeBody))]
[JsonSerializable(typeof(AbuseReportBody))]
[JsonSerializable(typeof(OutgoingConsentView))]
[JsonSerializable(typeof(OutgoingConsentView[]))]
[JsonSerializable(typeof(IncomingConsentView[]))]
[JsonSerializable(typeof(AbuseReportView[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ConsentJson : JsonSerializerContext;
