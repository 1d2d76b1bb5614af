using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

internal sealed record KeyPackageUploadBody(string[] KeyPackages);

internal sealed record KeyPackageUploadAnswer(int Added);

internal sealed record CreateRoomBody(string Name, string GroupInfo, string RatchetTree);

internal sealed record AckBody(long UpTo);

internal sealed record AckAnswer(int Deleted);

internal sealed record DiscoverableBody(bool Discoverable);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InboxPage))]
[JsonSerializable(typeof(InboxItem))]
[JsonSerializable(typeof(RoomInfo))]
[JsonSerializable(typeof(RoomGroupInfo))]
[JsonSerializable(typeof(KeyPackageCounts))]
[JsonSerializable(typeof(KeyPackageUploadBody))]
[JsonSerializable(typeof(KeyPackageUploadAnswer))]
[JsonSerializable(typeof(CreateRoomBody))]
[JsonSerializable(typeof(AckBody))]
[JsonSerializable(typeof(AckAnswer))]
[JsonSerializable(typeof(DiscoverableBody))]
internal sealed partial class DeliveryClientJson : JsonSerializerContext;
