namespace Mimi.Discovery.Server.Delivery;

internal readonly record struct HubAnswer(HubStatus Status, ulong CurrentEpoch, ulong Timestamp, string? Detail)
{
    public static HubAnswer Refused(HubStatus status, string detail) => new(status, 0, 0, detail);
}
