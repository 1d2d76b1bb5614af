namespace Mimi.Discovery.Model;

/// <summary>What an inbox item carries.</summary>
public enum InboxKind
{
    /// <summary>An MLS Welcome (with the ratchet tree when the hub had it).</summary>
    Welcome = 0,

    /// <summary>A commit or proposal.</summary>
    Handshake = 1,

    /// <summary>An application message.</summary>
    Application = 2,
}
