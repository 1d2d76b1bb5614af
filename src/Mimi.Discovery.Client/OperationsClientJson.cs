using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConsoleSignInLink))]
[JsonSerializable(typeof(LookupTraffic))]
internal sealed partial class OperationsClientJson : JsonSerializerContext;
