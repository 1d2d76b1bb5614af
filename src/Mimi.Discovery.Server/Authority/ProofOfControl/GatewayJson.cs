using System.Text.Json;

namespace Mimi.Discovery.Server.Authority.ProofOfControl;

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(GatewayRequest))]
internal sealed partial class GatewayJson : System.Text.Json.Serialization.JsonSerializerContext;
