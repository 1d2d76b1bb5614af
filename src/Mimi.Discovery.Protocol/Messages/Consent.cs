using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>What a <see cref="ConsentEntry"/> does (draft-ietf-mimi-protocol-06 §5.7: <c>ConsentOperation</c>).</summary>
public enum ConsentOperation : byte
{
    /// <summary>Withdraw an earlier request (sent to <c>requestConsent</c>).</summary>
    Cancel = 0,

    /// <summary>Ask for consent (sent to <c>requestConsent</c>).</summary>
    Request = 1,

    /// <summary>Consent given (sent to <c>updateConsent</c>), optionally with KeyPackages.</summary>
    Grant = 2,

    /// <summary>Consent revoked or preemptively denied (sent to <c>updateConsent</c>).</summary>
    Revoke = 3,
}

/// <summary>Who asks whom, optionally for one room (draft-ietf-mimi-protocol-06 §5.7: <c>ConsentScope</c>).</summary>
public sealed record ConsentScope(string RequesterUri, string TargetUri, string? RoomId)
{
    /// <summary>Encodes the scope.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the scope.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Wire.WriteUri(writer, RequesterUri);
        Wire.WriteUri(writer, TargetUri);
        writer.WritePresence(RoomId is not null);
        if (RoomId is not null)
        {
            Wire.WriteUri(writer, RoomId);
        }
    }

    /// <summary>Decodes a scope; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ConsentScope? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(ConsentScope), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out ConsentScope value)
    {
        value = null;
        if (!Wire.TryReadUri(ref r, "requesterUri", out var requester)
            || !Wire.TryReadUri(ref r, "targetUri", out var target)
            || !TryReadRoom(ref r, out var room))
        {
            return false;
        }

        value = new ConsentScope(requester, target, room);
        return true;
    }

    // optional<RoomId>: the draft leaves RoomId undefined; it is read as an IdentifierUri (opaque uri<V>),
    // as KeyMaterialRequest.roomId is, which is also the encoding of GroupInfoResponse's opaque room_id<V>.
    internal static bool TryReadRoom(ref TlsReader r, out string? room)
    {
        room = null;
        if (!r.TryReadPresence("roomId", out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        if (!Wire.TryReadUri(ref r, "roomId", out var value))
        {
            return false;
        }

        room = value;
        return true;
    }
}

/// <summary>
/// The body of <c>requestConsent</c> and <c>updateConsent</c> (draft-ietf-mimi-protocol-06 §5.7: <c>ConsentEntry</c>).
/// <see cref="ClientKeyPackages"/> is on the wire only for <see cref="ConsentOperation.Grant"/>.
/// </summary>
public sealed record ConsentEntry(
    ConsentOperation Operation,
    string RequesterUri,
    string TargetUri,
    string? RoomId,
    ValueArray<MlsKeyPackage> ClientKeyPackages,
    AppDataDictionary ConsentExtensions)
{
    /// <summary>The scope this entry is about.</summary>
    public ConsentScope Scope => new(RequesterUri, TargetUri, RoomId);

    /// <summary>Creates an entry for <paramref name="scope"/> with no KeyPackages and no extensions.</summary>
    public static ConsentEntry For(ConsentOperation operation, ConsentScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new(operation, scope.RequesterUri, scope.TargetUri, scope.RoomId, default, AppDataDictionary.Empty);
    }

    /// <summary>Encodes the entry.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the entry.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Operation != ConsentOperation.Grant && ClientKeyPackages.Count > 0)
        {
            throw new InvalidOperationException("Only a grant carries KeyPackages.");
        }

        writer.WriteUInt8((byte)Operation);
        Scope.WriteTo(writer);
        if (Operation == ConsentOperation.Grant)
        {
            var scope = writer.BeginVector(TlsLengthPrefix.Varint);
            foreach (var keyPackage in ClientKeyPackages)
            {
                keyPackage.Write(writer);
            }

            writer.EndVector(scope);
        }

        ConsentExtensions.Write(writer);
    }

    /// <summary>Decodes an entry; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ConsentEntry? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(ConsentEntry), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out ConsentEntry value)
    {
        value = null;
        if (!r.TryReadEnum8("consentOperation", out ConsentOperation operation)
            || !Wire.TryReadUri(ref r, "requesterUri", out var requester)
            || !Wire.TryReadUri(ref r, "targetUri", out var target)
            || !ConsentScope.TryReadRoom(ref r, out var room))
        {
            return false;
        }

        ValueArray<MlsKeyPackage> keyPackages = default;
        if (operation == ConsentOperation.Grant
            && !r.TryReadVector<MlsKeyPackage>("clientKeyPackages", TlsLengthPrefix.Varint, MlsKeyPackage.TryRead, out keyPackages))
        {
            return false;
        }

        if (!r.TryReadStruct<AppDataDictionary>("consent_extensions", AppDataDictionary.TryRead, out var extensions))
        {
            return false;
        }

        value = new ConsentEntry(operation, requester, target, room, keyPackages, extensions);
        return true;
    }
}
