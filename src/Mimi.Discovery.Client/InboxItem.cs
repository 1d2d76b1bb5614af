namespace Mimi.Discovery.Client;

/// <summary>An item of a hosted client's inbox: sequence number, kind (welcome, handshake, application), room, and the TLS-encoded MLSMessage.</summary>
/// <param name="Seq">The sequence number; acknowledge up to it with <see cref="MimiDiscoveryClient.AckInboxAsync"/>.</param>
/// <param name="Kind"><c>welcome</c>, <c>handshake</c> or <c>application</c>.</param>
/// <param name="Room">The room URI.</param>
/// <param name="Message">The MLSMessage, base64.</param>
/// <param name="RatchetTree">For a Welcome, the ratchet_tree extension data (base64) when the hub had it.</param>
/// <param name="CreatedAt">When the item reached the inbox.</param>
public sealed record InboxItem(long Seq, string Kind, string Room, string Message, string? RatchetTree, DateTimeOffset CreatedAt)
{
    /// <summary>The MLSMessage bytes.</summary>
    public byte[] MessageBytes => Convert.FromBase64String(Message);

    /// <summary>The ratchet tree bytes, or null.</summary>
    public byte[]? RatchetTreeBytes => RatchetTree is null ? null : Convert.FromBase64String(RatchetTree);

    /// <summary>
    /// For an application message the room's hub franked (draft-ietf-mimi-protocol-06 §5.4.1): the encoded <c>Frank</c>
    /// struct, base64; null when the message carried no franking tag. Verify it, and report the message, with
    /// <see cref="AcceptedTimestamp"/>.
    /// </summary>
    public string? Frank { get; init; }

    /// <summary>For an application message: when the room's hub accepted it, in milliseconds since the Unix epoch.</summary>
    public ulong? AcceptedTimestamp { get; init; }

    /// <summary>The hub's frank, decoded; null when the item has none or it is not a well-formed <c>Frank</c>.</summary>
    public Protocol.Frank? ReadFrank()
    {
        if (Frank is null)
        {
            return null;
        }

        var bytes = new byte[Frank.Length];
        return Convert.TryFromBase64String(Frank, bytes, out var written)
            && Protocol.Frank.TryDecode(bytes.AsSpan(0, written), out var frank, out _) ? frank : null;
    }
}
