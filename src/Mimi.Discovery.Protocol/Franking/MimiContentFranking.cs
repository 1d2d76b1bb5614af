using System.Diagnostics.CodeAnalysis;
using System.Formats.Cbor;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// What franking reads from a MIMI content message (draft-ietf-mimi-content, CBOR): the 16-byte <see cref="Salt"/>
/// (first element of the <c>mimiContent</c> array) and the extensions map's <c>sender_uri</c> (key 1) and
/// <c>room_uri</c> (key 2), as draft-ietf-mimi-protocol-06 §5.4.1 asks senders to include.
/// </summary>
public sealed record MimiContentFranking(ByteString Salt, string? SenderUri, string? RoomUri)
{
    /// <summary>The length of the content salt.</summary>
    public const int SaltLength = 16;

    private const int SenderUriKey = 1;
    private const int RoomUriKey = 2;

    /// <summary>Reads the salt and the franking URIs from an encoded MIMI content message; never throws on malformed input.</summary>
    public static bool TryRead(ReadOnlySpan<byte> content, [NotNullWhen(true)] out MimiContentFranking? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        try
        {
            var reader = new CborReader(content.ToArray(), CborConformanceMode.Lax);
            var length = reader.ReadStartArray();
            if (length is < 7)
            {
                error = $"mimiContent is an array of 7 elements, not {length}";
                return false;
            }

            var salt = reader.ReadByteString();
            if (salt.Length != SaltLength)
            {
                error = $"salt is {SaltLength} bytes, not {salt.Length}";
                return false;
            }

            for (var i = 0; i < 4; i++)
            {
                reader.SkipValue(); // replaces, topicId, expires, inReplyTo
            }

            string? sender = null;
            string? room = null;
            reader.ReadStartMap();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                var isNumber = reader.PeekState() is CborReaderState.UnsignedInteger;
                var key = isNumber ? reader.ReadUInt64() : ulong.MaxValue;
                if (!isNumber)
                {
                    reader.SkipValue();
                }

                if (key is SenderUriKey or RoomUriKey)
                {
                    if (reader.PeekState() != CborReaderState.TextString)
                    {
                        error = $"extension {key} is a URI text string";
                        return false;
                    }

                    var uri = reader.ReadTextString();
                    if ((key == SenderUriKey ? sender : room) is not null)
                    {
                        error = $"extension {key} appears twice";
                        return false;
                    }

                    (sender, room) = key == SenderUriKey ? (uri, room) : (sender, uri);
                }
                else
                {
                    reader.SkipValue();
                }
            }

            reader.ReadEndMap();
            while (reader.PeekState() != CborReaderState.EndArray)
            {
                reader.SkipValue();
            }

            reader.ReadEndArray();
            if (reader.BytesRemaining != 0)
            {
                error = $"{reader.BytesRemaining} bytes follow the mimiContent array";
                return false;
            }

            value = new MimiContentFranking(ByteString.CopyFrom(salt), sender, room);
            error = null;
            return true;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            error = "not a MIMI content message: " + e.Message;
            return false;
        }
    }

    /// <summary>
    /// Encodes a minimal MIMI content message carrying <paramref name="text"/> (one inline <c>text/plain</c> part) with
    /// the salt and the sender and room URIs in its extensions — what a franking client sends.
    /// </summary>
    public static byte[] EncodeText(ReadOnlySpan<byte> salt, string senderUri, string roomUri, string text)
    {
        ArgumentNullException.ThrowIfNull(senderUri);
        ArgumentNullException.ThrowIfNull(roomUri);
        ArgumentNullException.ThrowIfNull(text);
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartArray(7);
        w.WriteByteString(salt);
        w.WriteNull(); // replaces
        w.WriteByteString([]); // topicId
        w.WriteNull(); // expires
        w.WriteNull(); // inReplyTo
        w.WriteStartMap(2);
        w.WriteInt32(SenderUriKey);
        w.WriteTextString(senderUri);
        w.WriteInt32(RoomUriKey);
        w.WriteTextString(roomUri);
        w.WriteEndMap();
        w.WriteStartArray(5); // NestedPart: disposition render, language, single part, content type, content
        w.WriteInt32(1);
        w.WriteTextString("");
        w.WriteInt32(1);
        w.WriteTextString("text/plain;charset=utf-8");
        w.WriteByteString(System.Text.Encoding.UTF8.GetBytes(text));
        w.WriteEndArray();
        w.WriteEndArray();
        return w.Encode();
    }
}
