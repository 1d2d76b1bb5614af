using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>How a commit's GroupInfo is given to the hub (draft-ietf-mimi-protocol-06 §5.3: <c>GroupInfoRepresentation</c>).</summary>
public enum GroupInfoRepresentation : byte
{
    /// <summary>The whole GroupInfo.</summary>
    Full = 1,

    /// <summary>A PartialGroupInfo the hub completes.</summary>
    Partial = 2,
}

/// <summary>The GroupInfo of a commit, full or partial (draft-ietf-mimi-protocol-06 §5.3: <c>GroupInfoOption</c>).</summary>
public sealed record GroupInfoOption(GroupInfoRepresentation Representation, MlsGroupInfo? GroupInfo, PartialGroupInfo? PartialGroupInfo)
{
    /// <summary>A full GroupInfo.</summary>
    public static GroupInfoOption Full(MlsGroupInfo groupInfo) => new(GroupInfoRepresentation.Full, groupInfo, null);

    /// <summary>A partial GroupInfo.</summary>
    public static GroupInfoOption Partial(PartialGroupInfo partial) => new(GroupInfoRepresentation.Partial, null, partial);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out GroupInfoOption value)
    {
        value = null;
        if (!r.TryReadEnum8("representation", out GroupInfoRepresentation representation))
        {
            return false;
        }

        if (representation == GroupInfoRepresentation.Full)
        {
            if (!r.TryReadStruct<MlsGroupInfo>("groupInfo", MlsGroupInfo.TryRead, out var groupInfo))
            {
                return false;
            }

            value = Full(groupInfo);
            return true;
        }

        if (!r.TryReadStruct<PartialGroupInfo>("partialGroupInfo", PartialGroupInfo.TryRead, out var partial))
        {
            return false;
        }

        value = Partial(partial);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt8((byte)Representation);
        if (Representation == GroupInfoRepresentation.Full)
        {
            (GroupInfo ?? throw new InvalidOperationException("A full GroupInfoOption needs a GroupInfo.")).Write(w);
        }
        else
        {
            (PartialGroupInfo ?? throw new InvalidOperationException("A partial GroupInfoOption needs a PartialGroupInfo.")).Write(w);
        }
    }
}

/// <summary>
/// A proposal or commit with what travels with it (draft-ietf-mimi-protocol-06 §5.3: <c>HandshakeBundle</c>). The
/// layout depends on the content type of <see cref="ProposalOrCommit"/>, read from its (public or private) framing:
/// a commit carries an optional Welcome, a GroupInfoOption and a RatchetTreeOption; a proposal carries more proposals.
/// </summary>
public sealed record HandshakeBundle(
    MlsMessage ProposalOrCommit,
    MlsWelcome? Welcome,
    GroupInfoOption? GroupInfoOption,
    RatchetTreeOption? RatchetTreeOption,
    ValueArray<MlsMessage> MoreProposals)
{
    /// <summary>A commit bundle.</summary>
    public static HandshakeBundle ForCommit(MlsMessage commit, MlsWelcome? welcome, GroupInfoOption groupInfo, RatchetTreeOption ratchetTree) =>
        new(commit, welcome, groupInfo, ratchetTree, default);

    /// <summary>A proposal bundle.</summary>
    public static HandshakeBundle ForProposals(MlsMessage proposal, ValueArray<MlsMessage> moreProposals) =>
        new(proposal, null, null, null, moreProposals);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out HandshakeBundle value)
    {
        value = null;
        var messageAt = r.Position;
        if (!r.TryReadStruct<MlsMessage>("proposalOrCommit", MlsMessage.TryRead, out var message))
        {
            return false;
        }

        if (message.ContentType == MlsContentType.Commit)
        {
            if (!r.TryReadOptional<MlsWelcome>("welcome", MlsWelcome.TryRead, out var welcome)
                || !r.TryReadStruct<GroupInfoOption>("groupInfoOption", GroupInfoOption.TryRead, out var groupInfo)
                || !r.TryReadStruct<RatchetTreeOption>("ratchetTreeOption", RatchetTreeOption.TryRead, out var tree))
            {
                return false;
            }

            value = ForCommit(message, welcome, groupInfo, tree);
            return true;
        }

        if (message.ContentType == MlsContentType.Proposal)
        {
            if (!r.TryReadVector<MlsMessage>("moreProposals", TlsLengthPrefix.Varint, Wire.TryReadMessageItem, out var more))
            {
                return false;
            }

            value = ForProposals(message, more);
            return true;
        }

        return r.FailAt(TlsErrorKind.InvalidValue, "proposalOrCommit", messageAt, "must be a PublicMessage or PrivateMessage carrying a proposal or commit");
    }

    internal void Write(TlsWriter w)
    {
        ProposalOrCommit.Write(w);
        switch (ProposalOrCommit.ContentType)
        {
            case MlsContentType.Commit:
                Wire.WriteOptional(w, Welcome, static (x, w) => x.Write(w));
                (GroupInfoOption ?? throw new InvalidOperationException("A commit bundle needs a GroupInfoOption.")).Write(w);
                (RatchetTreeOption ?? throw new InvalidOperationException("A commit bundle needs a RatchetTreeOption.")).Write(w);
                break;
            case MlsContentType.Proposal:
                Wire.WriteMessages(w, MoreProposals);
                break;
            default:
                throw new InvalidOperationException("A handshake bundle carries a proposal or a commit.");
        }
    }
}

/// <summary>
/// The body of <c>POST /update/{roomId}</c> (draft-ietf-mimi-protocol-06 §5.3: <c>UpdateRequest</c>). The draft
/// selects on the room's protocol, which is not on the wire; only mls10 exists, so the body is the bundle.
/// </summary>
public sealed record UpdateRequest(HandshakeBundle Bundle)
{
    /// <summary>Encodes the request.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the request.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Bundle.Write(writer);
    }

    /// <summary>Decodes a request; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out UpdateRequest? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(UpdateRequest), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out UpdateRequest value)
    {
        value = null;
        if (!r.TryReadStruct<HandshakeBundle>("bundle", HandshakeBundle.TryRead, out var bundle))
        {
            return false;
        }

        value = new UpdateRequest(bundle);
        return true;
    }
}

/// <summary>The hub's verdict on an update (draft-ietf-mimi-protocol-06 §5.3: <c>UpdateResponseCode</c>).</summary>
public enum UpdateResponseCode : byte
{
    /// <summary>Accepted and will be distributed.</summary>
    Success = 0,

    /// <summary>The hub is at another epoch; see <see cref="UpdateRoomResponse.CurrentEpoch"/>.</summary>
    WrongEpoch = 1,

    /// <summary>Refused by policy or authorization.</summary>
    NotAllowed = 2,

    /// <summary>At least one proposal is invalid; see <see cref="UpdateRoomResponse.InvalidProposals"/>.</summary>
    InvalidProposal = 3,
}

/// <summary>
/// The response to an update (draft-ietf-mimi-protocol-06 §5.3: <c>UpdateRoomResponse</c>). The draft's
/// <c>string errorDescription</c> is read as <c>opaque&lt;V&gt;</c> holding UTF-8, as its UTF8String is defined.
/// </summary>
public sealed record UpdateRoomResponse(
    UpdateResponseCode ResponseCode,
    string ErrorDescription,
    ulong AcceptedTimestamp,
    ulong CurrentEpoch,
    ValueArray<ByteString> InvalidProposals)
{
    /// <summary>Accepted at <paramref name="acceptedTimestamp"/> (milliseconds since the Unix epoch).</summary>
    public static UpdateRoomResponse Accepted(ulong acceptedTimestamp) => new(UpdateResponseCode.Success, "", acceptedTimestamp, 0, default);

    /// <summary>A stale commit or proposal: the hub is at <paramref name="currentEpoch"/>.</summary>
    public static UpdateRoomResponse WrongEpoch(ulong currentEpoch, string description = "") => new(UpdateResponseCode.WrongEpoch, description, 0, currentEpoch, default);

    /// <summary>Encodes the response.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the response.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt8((byte)ResponseCode);
        writer.WriteUtf8(ErrorDescription, TlsLengthPrefix.Varint);
        switch (ResponseCode)
        {
            case UpdateResponseCode.Success:
                writer.WriteUInt64(AcceptedTimestamp);
                break;
            case UpdateResponseCode.WrongEpoch:
                writer.WriteUInt64(CurrentEpoch);
                break;
            case UpdateResponseCode.InvalidProposal:
                var scope = writer.BeginVector(TlsLengthPrefix.Varint);
                foreach (var reference in InvalidProposals)
                {
                    writer.WriteOpaque(reference.Span, TlsLengthPrefix.Varint);
                }

                writer.EndVector(scope);
                break;
            default:
                break;
        }
    }

    /// <summary>Decodes a response; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out UpdateRoomResponse? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(UpdateRoomResponse), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out UpdateRoomResponse value)
    {
        value = null;
        if (!r.TryReadEnum8("responseCode", out UpdateResponseCode code) || !r.TryReadUtf8("errorDescription", TlsLengthPrefix.Varint, out var description))
        {
            return false;
        }

        ulong accepted = 0;
        ulong epoch = 0;
        ValueArray<ByteString> invalid = default;
        var ok = code switch
        {
            UpdateResponseCode.Success => r.TryReadUInt64("accepted_timestamp", out accepted),
            UpdateResponseCode.WrongEpoch => r.TryReadUInt64("currentEpoch", out epoch),
            UpdateResponseCode.InvalidProposal => r.TryReadVector<ByteString>("invalidProposals", TlsLengthPrefix.Varint, ReadRef, out invalid),
            _ => true,
        };
        if (!ok)
        {
            return false;
        }

        value = new UpdateRoomResponse(code, description, accepted, epoch, invalid);
        return true;
    }

    private static bool ReadRef(ref TlsReader r, out ByteString value) => r.TryReadOpaque("ProposalRef", TlsLengthPrefix.Varint, out value);
}
