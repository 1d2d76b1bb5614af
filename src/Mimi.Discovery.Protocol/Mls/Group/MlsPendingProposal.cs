using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>A standalone proposal accepted in the current epoch, waiting for a commit to cover it.</summary>
/// <param name="Reference">Its ProposalRef (RFC 9420 §5.2), which a commit names.</param>
/// <param name="Message">The PublicMessage that carried it.</param>
/// <param name="Sender">Its sender.</param>
/// <param name="AcceptedTime">When the hub accepted it, in milliseconds since the Unix epoch.</param>
public sealed record MlsPendingProposal(ByteString Reference, MlsMessage Message, MlsSender Sender, ulong AcceptedTime)
{
    /// <summary>The proposal.</summary>
    public MlsProposal Proposal => Message.PublicMessage!.Content.Proposal!;
}
