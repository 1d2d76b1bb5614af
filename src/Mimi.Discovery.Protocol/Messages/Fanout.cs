using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// One message a hub fans out to a follower, the body of <c>POST /notify/{roomId}</c>
/// (draft-ietf-mimi-protocol-06 §5.5: <c>FanoutMessage</c>). A body may hold several, concatenated.
/// </summary>
/// <remarks>
/// The draft's struct has no protocol field although it selects on one (only mls10 exists, so nothing is read),
/// and it selects on <c>message.wire_format</c> with cases that are partly content types. It is read as: an
/// application message (content type application) carries <c>optional&lt;Frank&gt;</c>; a Welcome carries a
/// RatchetTreeOption; a proposal carries <c>moreProposals</c>; a commit carries <c>externalProposals</c>. Other wire
/// formats (GroupInfo, KeyPackage) are not fanned out and fail to decode.
/// </remarks>
public sealed record FanoutMessage(
    ulong Timestamp,
    MlsMessage Message,
    Frank? Frank,
    RatchetTreeOption? RatchetTreeOption,
    ValueArray<MlsMessage> MoreProposals,
    ValueArray<MlsMessage> ExternalProposals)
{
    /// <summary>Encodes the message.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Encodes several messages, concatenated, as one notify body.</summary>
    public static byte[] EncodeAll(IEnumerable<FanoutMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var writer = new TlsWriter();
        foreach (var message in messages)
        {
            message.WriteTo(writer);
        }

        return writer.ToArray();
    }

    /// <summary>Writes the message.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt64(Timestamp);
        Message.Write(writer);
        switch (Kind(Message))
        {
            case FanoutKind.Application:
                Wire.WriteOptional(writer, Frank, static (f, w) => f.Write(w));
                break;
            case FanoutKind.Welcome:
                (RatchetTreeOption ?? throw new InvalidOperationException("A fanned-out Welcome needs a RatchetTreeOption.")).Write(writer);
                break;
            case FanoutKind.Proposal:
                Wire.WriteMessages(writer, MoreProposals);
                break;
            case FanoutKind.Commit:
                Wire.WriteMessages(writer, ExternalProposals);
                break;
            default:
                throw new InvalidOperationException($"A {Message.WireFormat} message is not fanned out.");
        }
    }

    /// <summary>Decodes exactly one message; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out FanoutMessage? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(FanoutMessage), TryRead, out value, out error);

    /// <summary>Decodes a notify body of one or more concatenated messages; never throws on malformed input.</summary>
    public static bool TryDecodeAll(ReadOnlySpan<byte> data, out ValueArray<FanoutMessage> messages, out TlsError error, TlsReaderOptions? options = null)
    {
        messages = default;
        var reader = new TlsReader(data, options);
        var list = new List<FanoutMessage>();
        do
        {
            if (!reader.TryReadStruct<FanoutMessage>($"{nameof(FanoutMessage)}[{list.Count}]", TryRead, out var message))
            {
                error = reader.Error;
                return false;
            }

            list.Add(message);
        }
        while (reader.Remaining > 0);

        error = default;
        messages = new ValueArray<FanoutMessage>([.. list]);
        return true;
    }

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out FanoutMessage value)
    {
        value = null;
        var messageAt = r.Position;
        if (!r.TryReadUInt64("timestamp", out var timestamp) || !r.TryReadStruct<MlsMessage>("message", MlsMessage.TryRead, out var message))
        {
            return false;
        }

        Frank? frank = null;
        RatchetTreeOption? tree = null;
        ValueArray<MlsMessage> more = default;
        ValueArray<MlsMessage> external = default;
        var ok = Kind(message) switch
        {
            FanoutKind.Application => r.TryReadOptional<Frank>("frank", Frank.TryRead, out frank),
            FanoutKind.Welcome => r.TryReadStruct<RatchetTreeOption>("ratchetTreeOption", RatchetTreeOption.TryRead, out tree),
            FanoutKind.Proposal => r.TryReadVector<MlsMessage>("moreProposals", TlsLengthPrefix.Varint, Wire.TryReadMessageItem, out more),
            FanoutKind.Commit => r.TryReadVector<MlsMessage>("externalProposals", TlsLengthPrefix.Varint, Wire.TryReadMessageItem, out external),
            _ => r.FailAt(TlsErrorKind.InvalidValue, "message", messageAt + 8, $"a {message.WireFormat} message is not fanned out"),
        };
        if (!ok)
        {
            return false;
        }

        value = new FanoutMessage(timestamp, message, frank, tree, more, external);
        return true;
    }

    private static FanoutKind Kind(MlsMessage message) => message.WireFormat switch
    {
        MlsWireFormat.Welcome => FanoutKind.Welcome,
        MlsWireFormat.PublicMessage or MlsWireFormat.PrivateMessage => message.ContentType switch
        {
            MlsContentType.Application => FanoutKind.Application,
            MlsContentType.Proposal => FanoutKind.Proposal,
            _ => FanoutKind.Commit,
        },
        _ => FanoutKind.None,
    };

    private enum FanoutKind
    {
        None,
        Application,
        Welcome,
        Proposal,
        Commit,
    }
}
