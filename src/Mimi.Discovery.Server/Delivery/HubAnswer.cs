using Mimi.Discovery.Protocol;

namespace Mimi.Discovery.Server.Delivery;

internal readonly record struct HubAnswer(HubStatus Status, ulong CurrentEpoch, ulong Timestamp, string? Detail)
{
    /// <summary>The hub's frank of an accepted application message that asked for one (draft-ietf-mimi-protocol-06 §5.4.1).</summary>
    public Frank? Frank { get; init; }

    public static HubAnswer Refused(HubStatus status, string detail) => new(status, 0, 0, detail);
}
