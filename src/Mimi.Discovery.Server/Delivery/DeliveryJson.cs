using System.Text.Json;
using System.Text.Json.Serialization;
using Mimi.Discovery.Server.Peers;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>Source-generated serialization for the delivery core's JSON wire types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateHostedUserRequest))]
[JsonSerializable(typeof(AddHostedClientRequest))]
[JsonSerializable(typeof(HostedUserView))]
[JsonSerializable(typeof(HostedUserView[]))]
[JsonSerializable(typeof(HostedClientView))]
[JsonSerializable(typeof(OutboxView))]
[JsonSerializable(typeof(KeyPackageUploadRequest))]
[JsonSerializable(typeof(KeyPackageUploadView))]
[JsonSerializable(typeof(KeyPackageCountView))]
[JsonSerializable(typeof(CreateRoomRequest))]
[JsonSerializable(typeof(RoomView))]
[JsonSerializable(typeof(GroupInfoView))]
[JsonSerializable(typeof(InboxItemView))]
[JsonSerializable(typeof(InboxView))]
[JsonSerializable(typeof(AckRequest))]
[JsonSerializable(typeof(AckView))]
[JsonSerializable(typeof(UserDiscoverabilityRequest))]
internal sealed partial class DeliveryJson : JsonSerializerContext;
