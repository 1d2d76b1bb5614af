using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// One entry of a Commit's proposal list (RFC 9420 §12.4: <c>ProposalOrRef</c>): a proposal carried inline or the
/// ProposalRef of a proposal sent earlier in the epoch. Exactly one of <see cref="Proposal"/> and
/// <see cref="Reference"/> is set.
/// </summary>
public sealed record MlsProposalOrRef
{
    private MlsProposalOrRef(MlsProposal? proposal, ByteString? reference) => (Proposal, Reference) = (proposal, reference);

    /// <summary>The inline proposal, or <see langword="null"/> for a reference.</summary>
    public MlsProposal? Proposal { get; }

    /// <summary>The ProposalRef, or <see langword="null"/> for an inline proposal.</summary>
    public ByteString? Reference { get; }

    /// <summary>An inline proposal.</summary>
    public static MlsProposalOrRef Inline(MlsProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return new(proposal, null);
    }

    /// <summary>A reference to a proposal sent earlier in the epoch.</summary>
    public static MlsProposalOrRef ByReference(ByteString reference) => new(null, reference);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsProposalOrRef value)
    {
        value = null;
        if (!r.TryReadUInt8("type", out var type))
        {
            return false;
        }

        switch (type)
        {
            case 1:
                if (!r.TryReadStruct<MlsProposal>("proposal", MlsProposal.TryRead, out var proposal))
                {
                    return false;
                }

                value = Inline(proposal);
                return true;
            case 2:
                if (!r.TryReadOpaque("reference", TlsLengthPrefix.Varint, out ByteString reference))
                {
                    return false;
                }

                value = ByReference(reference);
                return true;
            default:
                return r.FailAt(TlsErrorKind.UnknownEnumValue, "type", r.Position - 1, $"value {type}");
        }
    }

    internal void Write(TlsWriter w)
    {
        if (Proposal is not null)
        {
            w.WriteUInt8(1);
            Proposal.Write(w);
            return;
        }

        w.WriteUInt8(2);
        w.WriteOpaque(Reference!.Value.Span, TlsLengthPrefix.Varint);
    }
}
