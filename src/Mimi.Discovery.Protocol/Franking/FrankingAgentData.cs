using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The hub's franking signature key and credential (draft-ietf-mimi-protocol-06 §5.4.1: <c>FrankingAgentData</c>),
/// the data of the <c>franking_agent</c> GroupContext component, shaped like RFC 9420's ExternalSender.
/// </summary>
public sealed record FrankingAgentData(ByteString FrankingSignatureKey, MlsCredential Credential)
{
    /// <summary>Encodes the data.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) =>
    {
        w.WriteOpaque(x.FrankingSignatureKey.Span, TlsLengthPrefix.Varint);
        x.Credential.Write(w);
    });

    /// <summary>Decodes the data; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out FrankingAgentData? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, nameof(FrankingAgentData), TryRead, out value, out error);

    private static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out FrankingAgentData value)
    {
        value = null;
        if (!r.TryReadOpaque("franking_signature_key", TlsLengthPrefix.Varint, out ByteString key)
            || !r.TryReadStruct<MlsCredential>("credential", MlsCredential.TryRead, out var credential))
        {
            return false;
        }

        value = new FrankingAgentData(key, credential);
        return true;
    }
}
