using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The body of <c>POST /submitMessage/{roomId}</c> (draft-ietf-mimi-protocol-06 §5.4: <c>SubmitMessageRequest</c>):
/// an application PrivateMessage and the sender's URI. Whether the message really is an application PrivateMessage is
/// for the hub to check (<see cref="MlsMessage.WireFormat"/>, <see cref="MlsMessage.ContentType"/>).
/// </summary>
public sealed record SubmitMessageRequest(MimiProtocol Protocol, MlsMessage AppMessage, string SendingUri)
{
    /// <summary>Encodes the request.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the request.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt8((byte)Protocol);
        AppMessage.Write(writer);
        Wire.WriteUri(writer, SendingUri);
    }

    /// <summary>Decodes a request; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out SubmitMessageRequest? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(SubmitMessageRequest), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out SubmitMessageRequest value)
    {
        value = null;
        if (!Wire.TryReadProtocol(ref r, "protocol", out var protocol)
            || !r.TryReadStruct<MlsMessage>("appMessage", MlsMessage.TryRead, out var message)
            || !Wire.TryReadUri(ref r, "sendingUri", out var sender))
        {
            return false;
        }

        value = new SubmitMessageRequest(protocol, message, sender);
        return true;
    }
}

/// <summary>The hub's verdict on a submitted message (draft-ietf-mimi-protocol-06 §5.4: <c>SubmitResponseCode</c>).</summary>
public enum SubmitResponseCode : byte
{
    /// <summary>Accepted (the draft's select calls this case <c>success</c>).</summary>
    Accepted = 0,

    /// <summary>Refused by policy or authorization.</summary>
    NotAllowed = 1,

    /// <summary>The hub has moved to a newer epoch; see <see cref="SubmitMessageResponse.CurrentEpoch"/>.</summary>
    EpochTooOld = 2,
}

/// <summary>The response to submitMessage (draft-ietf-mimi-protocol-06 §5.4: <c>SubmitMessageResponse</c>).</summary>
public sealed record SubmitMessageResponse(MimiProtocol Protocol, SubmitResponseCode StatusCode, ulong AcceptedTimestamp, Frank? Frank, ulong CurrentEpoch)
{
    /// <summary>Accepted at <paramref name="acceptedTimestamp"/> (milliseconds since the Unix epoch), optionally franked.</summary>
    public static SubmitMessageResponse Accepted(ulong acceptedTimestamp, Frank? frank = null) =>
        new(MimiProtocol.Mls10, SubmitResponseCode.Accepted, acceptedTimestamp, frank, 0);

    /// <summary>Encodes the response.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the response.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt8((byte)Protocol);
        writer.WriteUInt8((byte)StatusCode);
        if (StatusCode == SubmitResponseCode.Accepted)
        {
            writer.WriteUInt64(AcceptedTimestamp);
            Wire.WriteOptional(writer, Frank, static (f, w) => f.Write(w));
        }
        else if (StatusCode == SubmitResponseCode.EpochTooOld)
        {
            writer.WriteUInt64(CurrentEpoch);
        }
    }

    /// <summary>Decodes a response; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out SubmitMessageResponse? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(SubmitMessageResponse), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out SubmitMessageResponse value)
    {
        value = null;
        if (!Wire.TryReadProtocol(ref r, "protocol", out var protocol) || !r.TryReadEnum8("statusCode", out SubmitResponseCode code))
        {
            return false;
        }

        ulong accepted = 0;
        ulong epoch = 0;
        Frank? frank = null;
        var ok = code switch
        {
            SubmitResponseCode.Accepted => r.TryReadUInt64("accepted_timestamp", out accepted)
                && r.TryReadOptional<Frank>("frank", Frank.TryRead, out frank),
            SubmitResponseCode.EpochTooOld => r.TryReadUInt64("currentEpoch", out epoch),
            _ => true,
        };
        if (!ok)
        {
            return false;
        }

        value = new SubmitMessageResponse(protocol, code, accepted, frank, epoch);
        return true;
    }
}
