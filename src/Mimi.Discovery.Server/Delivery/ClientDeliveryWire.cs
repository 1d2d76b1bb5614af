namespace Mimi.Discovery.Server.Delivery;

internal sealed record KeyPackageUploadRequest(string?[]? KeyPackages);

internal sealed record KeyPackageUploadView(int Added);

internal sealed record KeyPackageCountView(long Available, long LastResort);

internal sealed record CreateRoomRequest(string? Name, string? GroupInfo, string? RatchetTree);

internal sealed record RoomView(string Room, ulong Epoch);

internal sealed record GroupInfoView(string Room, ulong Epoch, string? GroupInfo, string? RatchetTree);

internal sealed record InboxItemView(long Seq, string Kind, string Room, string Message, string? RatchetTree, DateTimeOffset CreatedAt, string? Frank, ulong? AcceptedTimestamp);

internal sealed record InboxView(InboxItemView[] Items, long Last);

internal sealed record AckRequest(long UpTo);

internal sealed record AckView(int Deleted);

internal sealed record UserDiscoverabilityRequest(bool Discoverable);
