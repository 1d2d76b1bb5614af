using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// What a hub binds a frank to (draft-ietf-mimi-protocol-06 §5.4.1: <c>ServerFrankingContext</c>): the sender's URI,
/// the room's URI and the hub's acceptance time in milliseconds since the Unix epoch.
/// </summary>
public sealed record ServerFrankingContext(string SenderUri, string RoomUri, ulong AcceptedTimestamp)
{
    /// <summary>Encodes the context as it is MACed and signed.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.Write(w));

    internal void Write(TlsWriter w)
    {
        Wire.WriteUri(w, SenderUri);
        Wire.WriteUri(w, RoomUri);
        w.WriteUInt64(AcceptedTimestamp);
    }
}
