using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

internal sealed record HostedUserBody(string Name, string ConsentMode);

internal sealed record HostedClientBody(string Name, JsonElement Jwk);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostedUserBody))]
[JsonSerializable(typeof(HostedClientBody))]
[JsonSerializable(typeof(HostedUserInfo))]
[JsonSerializable(typeof(HostedUserInfo[]))]
[JsonSerializable(typeof(HostedClientInfo))]
[JsonSerializable(typeof(OutboxStatus))]
internal sealed partial class HostingClientJson : JsonSerializerContext;
