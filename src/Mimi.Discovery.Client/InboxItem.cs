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
}
