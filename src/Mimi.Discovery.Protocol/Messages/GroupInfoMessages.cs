using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The body of <c>POST /groupInfo/{roomId}</c> (draft-ietf-mimi-protocol-06 §5.6: <c>GroupInfoRequest</c>).
/// An empty <see cref="JoiningCode"/> means none.
/// </summary>
public sealed record GroupInfoRequest(
    MimiProtocol Protocol,
    MlsCipherSuite CipherSuite,
    ByteString RequestingSignatureKey,
    MlsCredential RequestingCredential,
    ByteString GroupInfoPublicKey,
    ByteString JoiningCode,
    ByteString Signature)
{
    /// <summary>The label of the request signature.</summary>
    public const string SignatureLabel = "GroupInfoRequestTBS";

    /// <summary>Encodes the request.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>
    /// Encodes <c>GroupInfoRequestTBS</c>. The draft writes its joining code as <c>optional opaque joiningCode&lt;V&gt;</c>
    /// while the request carries a plain <c>opaque joiningCode&lt;V&gt;</c>; it is encoded here as an
    /// <c>optional&lt;opaque&lt;V&gt;&gt;</c> present exactly when the code is non-empty.
    /// </summary>
    public byte[] EncodeTbs() => TlsCodec.Encode(this, static (x, w) =>
    {
        x.WriteHead(w);
        w.WritePresence(x.JoiningCode.Length > 0);
        if (x.JoiningCode.Length > 0)
        {
            w.WriteOpaque(x.JoiningCode.Span, TlsLengthPrefix.Varint);
        }
    });

    /// <summary>Writes the request.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteHead(writer);
        writer.WriteOpaque(JoiningCode.Span, TlsLengthPrefix.Varint);
        writer.WriteOpaque(Signature.Span, TlsLengthPrefix.Varint);
    }

    /// <summary>Decodes a request; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out GroupInfoRequest? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(GroupInfoRequest), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out GroupInfoRequest value)
    {
        value = null;
        if (!Wire.TryReadProtocol(ref r, "protocol", out var protocol)
            || !r.TryReadUInt16("cipher_suite", out var suite)
            || !r.TryReadOpaque("requestingSignatureKey", TlsLengthPrefix.Varint, out ByteString key)
            || !r.TryReadStruct<MlsCredential>("requestingCredential", MlsCredential.TryRead, out var credential)
            || !r.TryReadOpaque("groupInfoPublicKey", TlsLengthPrefix.Varint, out ByteString hpkeKey)
            || !r.TryReadOpaque("joiningCode", TlsLengthPrefix.Varint, out ByteString code)
            || !r.TryReadOpaque("signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new GroupInfoRequest(protocol, (MlsCipherSuite)suite, key, credential, hpkeKey, code, signature);
        return true;
    }

    private void WriteHead(TlsWriter w)
    {
        w.WriteUInt8((byte)Protocol);
        w.WriteUInt16((ushort)CipherSuite);
        w.WriteOpaque(RequestingSignatureKey.Span, TlsLengthPrefix.Varint);
        RequestingCredential.Write(w);
        w.WriteOpaque(GroupInfoPublicKey.Span, TlsLengthPrefix.Varint);
    }
}

/// <summary>The outcome of a GroupInfo request (draft-ietf-mimi-protocol-06 §5.6: <c>GroupInfoCode</c>).</summary>
public enum GroupInfoCode : byte
{
    /// <summary>The encrypted GroupInfo and tree are included.</summary>
    Success = 1,

    /// <summary>The requester may not have the GroupInfo.</summary>
    NotAuthorized = 2,

    /// <summary>No such room (a hub may say notAuthorized instead).</summary>
    NoSuchRoom = 3,
}

/// <summary>A proposal the hub accepted in the current epoch (draft-ietf-mimi-protocol-06 §5.6: <c>PendingProposal</c>).</summary>
public sealed record PendingProposal(MlsMessage Proposal, ulong HubAcceptedTime)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out PendingProposal value)
    {
        value = null;
        if (!r.TryReadStruct<MlsMessage>("proposal", MlsMessage.TryRead, out var proposal) || !r.TryReadUInt64("hub_accepted_time", out var time))
        {
            return false;
        }

        value = new PendingProposal(proposal, time);
        return true;
    }
}

/// <summary>
/// The plaintext the hub HPKE-encrypts to the requester (draft-ietf-mimi-protocol-06 §5.6:
/// <c>GroupInfoRatchetTreeTBE</c>): the GroupInfo without its tree, how to get the tree, and pending proposals.
/// </summary>
public sealed record GroupInfoRatchetTreeTbe(MlsGroupInfo GroupInfo, RatchetTreeOption RatchetTreeOption, ValueArray<PendingProposal> PendingProposals)
{
    /// <summary>The HPKE label: <c>EncryptWithLabel(groupInfoPublicKey, label, room_id, tbe)</c>.</summary>
    public const string EncryptionLabel = "GroupInfo and ratchet_tree encryption";

    /// <summary>Encodes the plaintext.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the plaintext.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        GroupInfo.Write(writer);
        RatchetTreeOption.Write(writer);
        var scope = writer.BeginVector(TlsLengthPrefix.Varint);
        foreach (var pending in PendingProposals)
        {
            pending.Proposal.Write(writer);
            writer.WriteUInt64(pending.HubAcceptedTime);
        }

        writer.EndVector(scope);
    }

    /// <summary>Decodes the plaintext; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out GroupInfoRatchetTreeTbe? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(GroupInfoRatchetTreeTbe), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out GroupInfoRatchetTreeTbe value)
    {
        value = null;
        if (!r.TryReadStruct<MlsGroupInfo>("groupInfo", MlsGroupInfo.TryRead, out var groupInfo)
            || !r.TryReadStruct<RatchetTreeOption>("ratchetTreeOption", RatchetTreeOption.TryRead, out var tree)
            || !r.TryReadVector<PendingProposal>("pending_proposals", TlsLengthPrefix.Varint, PendingProposal.TryRead, out var pending))
        {
            return false;
        }

        value = new GroupInfoRatchetTreeTbe(groupInfo, tree, pending);
        return true;
    }
}

/// <summary>
/// The response to a GroupInfo request (draft-ietf-mimi-protocol-06 §5.6: <c>GroupInfoResponse</c>). The fields
/// after <see cref="Status"/> are on the wire only for success. <see cref="RoomId"/> is the draft's
/// <c>opaque room_id&lt;V&gt;</c>, read as UTF-8 (room ids are MIMI URIs).
/// </summary>
public sealed record GroupInfoResponse(
    MimiProtocol Protocol,
    string RoomId,
    GroupInfoCode Status,
    MlsCipherSuite CipherSuite,
    MlsExternalSender? HubSender,
    HpkeCiphertext? EncryptedGroupInfoAndTree,
    ByteString Signature)
{
    /// <summary>The label of the hub's signature.</summary>
    public const string SignatureLabel = "GroupInfoResponseTBS";

    /// <summary>A failure response.</summary>
    public static GroupInfoResponse Failure(string roomId, GroupInfoCode status) => new(MimiProtocol.Mls10, roomId, status, default, null, null, default);

    /// <summary>Encodes the response.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Encodes <c>GroupInfoResponseTBS</c>, what the hub signs (meaningful for a success response).</summary>
    public byte[] EncodeTbs() => TlsCodec.Encode(this, static (x, w) =>
    {
        x.WriteHead(w);
        x.WriteBody(w);
    });

    /// <summary>Writes the response.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteHead(writer);
        if (Status == GroupInfoCode.Success)
        {
            WriteBody(writer);
            writer.WriteOpaque(Signature.Span, TlsLengthPrefix.Varint);
        }
    }

    /// <summary>Decodes a response; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out GroupInfoResponse? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(GroupInfoResponse), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out GroupInfoResponse value)
    {
        value = null;
        if (!Wire.TryReadProtocol(ref r, "version", out var protocol)
            || !Wire.TryReadUri(ref r, "room_id", out var room)
            || !r.TryReadEnum8("status", out GroupInfoCode status))
        {
            return false;
        }

        if (status != GroupInfoCode.Success)
        {
            value = Failure(room, status) with { Protocol = protocol };
            return true;
        }

        if (!r.TryReadUInt16("cipher_suite", out var suite)
            || !r.TryReadStruct<MlsExternalSender>("hub_sender", MlsExternalSender.TryRead, out var sender)
            || !r.TryReadStruct<HpkeCiphertext>("encrypted_groupinfo_and_tree", HpkeCiphertext.TryRead, out var ciphertext)
            || !r.TryReadOpaque("signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new GroupInfoResponse(protocol, room, status, (MlsCipherSuite)suite, sender, ciphertext, signature);
        return true;
    }

    private void WriteHead(TlsWriter w)
    {
        w.WriteUInt8((byte)Protocol);
        Wire.WriteUri(w, RoomId);
        w.WriteUInt8((byte)Status);
    }

    private void WriteBody(TlsWriter w)
    {
        w.WriteUInt16((ushort)CipherSuite);
        (HubSender ?? throw new InvalidOperationException("A successful GroupInfoResponse needs the hub sender.")).Write(w);
        (EncryptedGroupInfoAndTree ?? throw new InvalidOperationException("A successful GroupInfoResponse needs the ciphertext.")).Write(w);
    }
}
