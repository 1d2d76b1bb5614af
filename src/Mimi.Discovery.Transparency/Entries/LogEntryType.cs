namespace Mimi.Discovery.Transparency;

/// <summary>What a log entry records.</summary>
public enum LogEntryType
{
    /// <summary>A credential was issued.</summary>
    Issuance,

    /// <summary>A credential was revoked.</summary>
    Revocation,
}
