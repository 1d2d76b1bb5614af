using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>An allegedly abusive message with its frank (draft-ietf-mimi-protocol-06 §5.9: <c>AbusiveMessage</c>).</summary>
public sealed record AbusiveMessage(ByteString MessageContent, Frank Frank, ulong AcceptedTimestamp)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out AbusiveMessage value)
    {
        value = null;
        if (!r.TryReadOpaque("message_content", TlsLengthPrefix.Varint, out ByteString content)
            || !r.TryReadStruct<Frank>("frank", Frank.TryRead, out var frank)
            || !r.TryReadUInt64("accepted_timestamp", out var accepted))
        {
            return false;
        }

        value = new AbusiveMessage(content, frank, accepted);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteOpaque(MessageContent.Span, TlsLengthPrefix.Varint);
        Frank.Write(w);
        w.WriteUInt64(AcceptedTimestamp);
    }
}

/// <summary>
/// The body of <c>POST /reportAbuse/{roomId}</c> (draft-ietf-mimi-protocol-06 §5.9: <c>AbuseReport</c>).
/// <see cref="ReasonCode"/> is the draft's <c>AbuseType</c>, which so far defines only <c>reserved(0)</c> pending a
/// taxonomy, so every value is accepted. <see cref="ReportingUser"/> may be empty (the draft makes it optional in
/// prose but not in the struct).
/// </summary>
public sealed record AbuseReport(
    string ReportingUser,
    string AllegedAbuserUri,
    byte ReasonCode,
    string Note,
    ValueArray<AbusiveMessage> Messages,
    AppDataDictionary Extensions)
{
    /// <summary>Encodes the report.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the report.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Wire.WriteUri(writer, ReportingUser);
        Wire.WriteUri(writer, AllegedAbuserUri);
        writer.WriteUInt8(ReasonCode);
        writer.WriteUtf8(Note, TlsLengthPrefix.Varint);
        var scope = writer.BeginVector(TlsLengthPrefix.Varint);
        foreach (var message in Messages)
        {
            message.Write(writer);
        }

        writer.EndVector(scope);
        Extensions.Write(writer);
    }

    /// <summary>Decodes a report; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out AbuseReport? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(AbuseReport), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out AbuseReport value)
    {
        value = null;
        if (!Wire.TryReadUri(ref r, "reportingUser", out var reporter)
            || !Wire.TryReadUri(ref r, "allegedAbuserUri", out var abuser)
            || !r.TryReadUInt8("reasonCode", out var reason)
            || !r.TryReadUtf8("note", TlsLengthPrefix.Varint, out var note)
            || !r.TryReadVector<AbusiveMessage>("messages", TlsLengthPrefix.Varint, AbusiveMessage.TryRead, out var messages)
            || !r.TryReadStruct<AppDataDictionary>("abuse_extensions", AppDataDictionary.TryRead, out var extensions))
        {
            return false;
        }

        value = new AbuseReport(reporter, abuser, reason, note, messages, extensions);
        return true;
    }
}
