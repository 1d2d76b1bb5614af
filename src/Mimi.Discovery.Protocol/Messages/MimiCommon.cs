using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>The end-to-end protocol of a MIMI request (draft-ietf-mimi-protocol-06 §5: <c>Protocol</c>).</summary>
public enum MimiProtocol : byte
{
    /// <summary>MLS 1.0 (RFC 9420); the only protocol the draft defines.</summary>
    Mls10 = 1,
}

/// <summary>One entry of an <see cref="AppDataDictionary"/>.</summary>
public sealed record ComponentData(ushort ComponentId, ByteString Data);

/// <summary>
/// The AppDataDictionary of draft-ietf-mls-extensions §4.6 (<c>ComponentID</c> is a uint16 there), which MIMI
/// borrows as the extension point of ConsentEntry, IdentifierRequest/Response and AbuseReport. Entries must be
/// sorted by component id with no duplicates; decoding rejects anything else.
/// </summary>
public sealed record AppDataDictionary(ValueArray<ComponentData> Entries)
{
    /// <summary>The empty dictionary.</summary>
    public static AppDataDictionary Empty { get; } = new(ValueArray<ComponentData>.Empty);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out AppDataDictionary value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadVector<ComponentData>("component_data", TlsLengthPrefix.Varint, ReadEntry, out var entries))
        {
            return false;
        }

        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].ComponentId <= entries[i - 1].ComponentId)
            {
                return r.FailAt(TlsErrorKind.InvalidValue, $"component_data[{i}].component_id", start, "entries must be sorted by component_id without duplicates");
            }
        }

        value = entries.Count == 0 ? Empty : new AppDataDictionary(entries);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var entry in Entries)
        {
            w.WriteUInt16(entry.ComponentId);
            w.WriteOpaque(entry.Data.Span, TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
    }

    private static bool ReadEntry(ref TlsReader r, [MaybeNullWhen(false)] out ComponentData value)
    {
        value = null;
        if (!r.TryReadUInt16("component_id", out var id) || !r.TryReadOpaque("data", TlsLengthPrefix.Varint, out ByteString data))
        {
            return false;
        }

        value = new ComponentData(id, data);
        return true;
    }
}

/// <summary>
/// A hub's frank on an application message (draft-ietf-mimi-protocol-06 §5.4.1: <c>Frank</c>): the 32-byte
/// server frank, the cipher suite in use and the franking integrity signature.
/// </summary>
public sealed record Frank(ByteString ServerFrank, MlsCipherSuite FrankingSignatureCipherSuite, ByteString FrankingIntegritySignature)
{
    /// <summary>The length of <see cref="ServerFrank"/>.</summary>
    public const int ServerFrankLength = 32;

    /// <summary>Encodes the frank on its own, as a hub hands it to a receiving client with the message.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.Write(w));

    /// <summary>Decodes a frank encoded on its own (nothing may follow it); never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out Frank? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, nameof(Frank), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out Frank value)
    {
        value = null;
        if (!r.TryReadFixed("server_frank", ServerFrankLength, out var serverFrank)
            || !r.TryReadUInt16("franking_signature_ciphersuite", out var suite)
            || !r.TryReadOpaque("franking_integrity_signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new Frank(ByteString.CopyFrom(serverFrank), (MlsCipherSuite)suite, signature);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        if (ServerFrank.Length != ServerFrankLength)
        {
            throw new InvalidOperationException($"A server frank is {ServerFrankLength} bytes, not {ServerFrank.Length}.");
        }

        w.WriteBytes(ServerFrank.Span);
        w.WriteUInt16((ushort)FrankingSignatureCipherSuite);
        w.WriteOpaque(FrankingIntegritySignature.Span, TlsLengthPrefix.Varint);
    }
}

/// <summary>How the ratchet tree is conveyed (draft-mahy-mls-ratchet-tree-options §3: <c>RatchetTreeRepresentation</c>).</summary>
public enum RatchetTreeRepresentation : byte
{
    /// <summary>The complete tree is included.</summary>
    Full = 1,

    /// <summary>The tree can be downloaded from an https URL.</summary>
    HttpsUri = 2,

    /// <summary>The tree is conveyed out of band.</summary>
    OutOfBand = 3,

    /// <summary>The distribution service reconstructs the tree.</summary>
    DistributionService = 4,
}

/// <summary>
/// A <c>RatchetTreeOption</c> (draft-mahy-mls-ratchet-tree-options §3). <see cref="RatchetTree"/> holds the
/// contents of <c>Node ratchet_tree&lt;V&gt;</c> unparsed.
/// </summary>
public sealed record RatchetTreeOption(RatchetTreeRepresentation Representation, ByteString RatchetTree, string? Url, ByteString TreeSignature)
{
    /// <summary>The distribution service rebuilds the tree from the handshake it has seen.</summary>
    public static RatchetTreeOption ByDistributionService { get; } = new(RatchetTreeRepresentation.DistributionService, default, null, default);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out RatchetTreeOption value)
    {
        value = null;
        if (!r.TryReadEnum8("representation", out RatchetTreeRepresentation representation))
        {
            return false;
        }

        ByteString tree = default;
        string? url = null;
        ByteString signature = default;
        var ok = representation switch
        {
            RatchetTreeRepresentation.Full => r.TryReadOpaque("ratchet_tree", TlsLengthPrefix.Varint, out tree),
            RatchetTreeRepresentation.HttpsUri => r.TryReadUtf8("ratchet_tree_url", TlsLengthPrefix.Varint, out url)
                && r.TryReadOpaque("tree_signature", TlsLengthPrefix.Varint, out signature),
            RatchetTreeRepresentation.OutOfBand => r.TryReadOpaque("tree_signature", TlsLengthPrefix.Varint, out signature),
            _ => true,
        };
        if (!ok)
        {
            return false;
        }

        value = new RatchetTreeOption(representation, tree, url, signature);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt8((byte)Representation);
        switch (Representation)
        {
            case RatchetTreeRepresentation.Full:
                w.WriteOpaque(RatchetTree.Span, TlsLengthPrefix.Varint);
                break;
            case RatchetTreeRepresentation.HttpsUri:
                w.WriteUtf8(Url ?? throw new InvalidOperationException("An httpsUri ratchet tree option needs a URL."), TlsLengthPrefix.Varint);
                w.WriteOpaque(TreeSignature.Span, TlsLengthPrefix.Varint);
                break;
            case RatchetTreeRepresentation.OutOfBand:
                w.WriteOpaque(TreeSignature.Span, TlsLengthPrefix.Varint);
                break;
            default:
                break;
        }
    }
}

/// <summary>Whether a ratchet_tree extension is in the current and previous epochs' GroupInfo (draft-mahy-mls-ratchet-tree-options §4).</summary>
public enum RatchetTreePresence : byte
{
    /// <summary>In neither epoch.</summary>
    NoRatchetTree = 0,

    /// <summary>In both epochs.</summary>
    Present = 1,

    /// <summary>In the previous epoch only.</summary>
    Removed = 2,

    /// <summary>In the current epoch only.</summary>
    Added = 3,
}

/// <summary>The parts of a GroupInfo a hub cannot rebuild itself (draft-mahy-mls-ratchet-tree-options §4: <c>PartialGroupInfo</c>).</summary>
public sealed record PartialGroupInfo(RatchetTreePresence RatchetTreePresence, ValueArray<MlsExtension> GroupInfoExtensions, ByteString Signature)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out PartialGroupInfo value)
    {
        value = null;
        if (!r.TryReadEnum8("ratchet_tree_presence", out RatchetTreePresence presence)
            || !MlsExtension.TryReadList(ref r, "group_info_extensions", out var extensions)
            || !r.TryReadOpaque("signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new PartialGroupInfo(presence, extensions, signature);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt8((byte)RatchetTreePresence);
        MlsExtension.WriteList(w, GroupInfoExtensions);
        w.WriteOpaque(Signature.Span, TlsLengthPrefix.Varint);
    }
}

/// <summary>Reading and writing of the small shared pieces: IdentifierUri, the protocol byte.</summary>
internal static class Wire
{
    /// <summary><c>struct { opaque uri&lt;V&gt;; } IdentifierUri;</c> — a URI, which must be UTF-8.</summary>
    public static bool TryReadUri(ref TlsReader r, string field, out string value) =>
        r.TryReadUtf8(field, TlsLengthPrefix.Varint, out value);

    public static void WriteUri(TlsWriter w, string uri) => w.WriteUtf8(uri, TlsLengthPrefix.Varint);

    public static bool TryReadUriItem(ref TlsReader r, out string value) => TryReadUri(ref r, "uri", out value);

    public static bool TryReadProtocol(ref TlsReader r, string field, out MimiProtocol protocol) =>
        r.TryReadEnum8(field, out protocol);

    public static bool TryReadMessageItem(ref TlsReader r, [MaybeNullWhen(false)] out MlsMessage value) =>
        MlsMessage.TryRead(ref r, out value);

    public static void WriteMessages(TlsWriter w, ValueArray<MlsMessage> messages)
    {
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var message in messages)
        {
            message.Write(w);
        }

        w.EndVector(scope);
    }

    public static void WriteOptional<T>(TlsWriter w, T? value, Action<T, TlsWriter> write)
        where T : class
    {
        w.WritePresence(value is not null);
        if (value is not null)
        {
            write(value, w);
        }
    }
}
