using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

internal sealed record IndexesBody(string[] Identifiers);

internal sealed record OpeningsBody(long[] LogIndexes);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IndexesBody))]
[JsonSerializable(typeof(OpeningsBody))]
[JsonSerializable(typeof(IdentifierIndexes))]
[JsonSerializable(typeof(LogOpenings))]
[JsonSerializable(typeof(VrfKeys))]
[JsonSerializable(typeof(Credential[]))]
[JsonSerializable(typeof(CredentialBundle))]
[JsonSerializable(typeof(MonitorState))]
internal sealed partial class TransparencyClientJson : JsonSerializerContext;
