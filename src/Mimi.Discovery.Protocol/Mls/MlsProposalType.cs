namespace Mimi.Discovery.Protocol;

/// <summary>
/// MLS proposal types (RFC 9420 §12.1 and the IANA registry). The last three are the draft-ietf-mls-extensions types
/// with the values that draft suggests; they are framed (so a message carrying one decodes) but not interpreted.
/// </summary>
public enum MlsProposalType : ushort
{
    /// <summary>add: a KeyPackage to add.</summary>
    Add = 0x0001,

    /// <summary>update: the sender's new leaf node.</summary>
    Update = 0x0002,

    /// <summary>remove: a leaf to remove.</summary>
    Remove = 0x0003,

    /// <summary>psk: a pre-shared key to inject.</summary>
    PreSharedKey = 0x0004,

    /// <summary>reinit: re-initialize the group.</summary>
    ReInit = 0x0005,

    /// <summary>external_init: the KEM output of an external joiner.</summary>
    ExternalInit = 0x0006,

    /// <summary>group_context_extensions: new GroupContext extensions.</summary>
    GroupContextExtensions = 0x0007,

    /// <summary>app_data_update (draft-ietf-mls-extensions).</summary>
    AppDataUpdate = 0x0008,

    /// <summary>app_ephemeral (draft-ietf-mls-extensions).</summary>
    AppEphemeral = 0x0009,

    /// <summary>self_remove (draft-ietf-mls-extensions).</summary>
    SelfRemove = 0x000a,
}
