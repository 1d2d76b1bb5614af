using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>Source-generated serialization of the console's and the operations API's wire types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(SignInLinkView))]
[JsonSerializable(typeof(ConsoleSessionView))]
[JsonSerializable(typeof(LookupTrafficView))]
internal sealed partial class ConsoleJson : JsonSerializerContext;
