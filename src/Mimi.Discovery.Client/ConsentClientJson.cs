using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

internal sealed record ConsentTargetBody(string Target, string? Room);

internal sealed record ConsentRequesterBody(string Requester, string? Room);

internal sealed record BlockBody(string? User, string? Domain);

internal sealed record ConsentModeBody(string Mode);

internal sealed record AbuseReportBody(string Room, string AllegedAbuser, int Reason, string? Note);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConsentTargetBody))]
[JsonSerializable(typeof(ConsentRequesterBody))]
[JsonSerializable(typeof(BlockBody))]
[JsonSerializable(typeof(ConsentModeBody))]
[JsonSerializable(typeof(AbuseReportBody))]
[JsonSerializable(typeof(ConsentRequestState))]
[JsonSerializable(typeof(ConsentRequestState[]))]
[JsonSerializable(typeof(PendingConsent[]))]
[JsonSerializable(typeof(AbuseReportInfo[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ConsentClientJson : JsonSerializerContext;
