using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConsoleSignInLink))]
[JsonSerializable(typeof(LookupTraffic))]
[JsonSerializable(typeof(LogState))]
[JsonSerializable(typeof(IssuanceFeedEntry[]))]
[JsonSerializable(typeof(OwnerQuotaState[]))]
internal sealed partial class OperationsClientJson : JsonSerializerContext;
