using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Server.Delivery;

internal readonly record struct HubAnswer(HubStatus Status, ulong CurrentEpoch, ulong Timestamp, string? Detail)
{
    /// <summary>For <see cref="HubStatus.MlsRefused"/>: the kebab-case name of the check that failed.</summary>
    public string? Check { get; init; }

    /// <summary>For <see cref="HubStatus.MlsRefused"/> of a standalone proposal: its ProposalRef (the MIMI answer is <c>invalidProposal</c>).</summary>
    public ValueArray<ByteString> InvalidProposals { get; init; }

    /// <summary>The hub's frank of an accepted application message that asked for one (draft-ietf-mimi-protocol-06 §5.4.1).</summary>
    public Frank? Frank { get; init; }

    public static HubAnswer Refused(HubStatus status, string detail) => new(status, 0, 0, detail);
}
