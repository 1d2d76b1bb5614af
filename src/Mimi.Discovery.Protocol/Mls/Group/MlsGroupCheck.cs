namespace Mimi.Discovery.Protocol;

/// <summary>
/// The check of the room's public group state that refused a message (RFC 9420 §6, §7, §12). Its kebab-case name
/// (<see cref="MlsGroupChecks.Name"/>) is what a refusal's problem detail carries.
/// </summary>
public enum MlsGroupCheck
{
    /// <summary>The message, GroupInfo, tree or stored state does not decode, or is not the kind of message expected.</summary>
    Decoding,

    /// <summary>A handshake message is not a PublicMessage: a server cannot check what it cannot read.</summary>
    WireFormat,

    /// <summary>The group's cipher suite is not one whose signatures and hashes are implemented here.</summary>
    CipherSuite,

    /// <summary>The message is for another group.</summary>
    GroupId,

    /// <summary>The message is not for the group's current epoch.</summary>
    Epoch,

    /// <summary>The sender is not a member (a blank or absent leaf), or a sender type not allowed for the content.</summary>
    Sender,

    /// <summary>The FramedContentTBS signature does not verify with the sender's key and the current GroupContext.</summary>
    Signature,

    /// <summary>A proposal type the hub does not support or that is not allowed where it appears.</summary>
    ProposalType,

    /// <summary>An Add's KeyPackage fails the checks of RFC 9420 §10.1 or conflicts with a member.</summary>
    AddKeyPackage,

    /// <summary>A Remove of a blank leaf, or of the committer.</summary>
    Remove,

    /// <summary>An Update not from the leaf's own member, or committed by its own sender.</summary>
    Update,

    /// <summary>A leaf node (of an Update or an UpdatePath) fails the checks of RFC 9420 §7.3.</summary>
    LeafNode,

    /// <summary>GroupContextExtensions that some member does not support.</summary>
    GroupContextExtensions,

    /// <summary>The proposal list of a commit breaks RFC 9420 §12.2 (duplicates, conflicting proposals).</summary>
    ProposalList,

    /// <summary>A proposal reference that names no pending proposal of this epoch.</summary>
    ProposalReference,

    /// <summary>An external commit breaks RFC 9420 §12.4.3.2.</summary>
    ExternalCommit,

    /// <summary>A commit without an UpdatePath where one is required.</summary>
    PathRequired,

    /// <summary>The UpdatePath's parent hashes (or the tree's) do not verify, or the path does not fit the tree.</summary>
    ParentHash,

    /// <summary>The ratchet tree attached to a commit differs from the tree the commit yields.</summary>
    AttachedTree,

    /// <summary>The GroupInfo is not signed by the leaf it names (for a commit: the committer's new leaf).</summary>
    GroupInfoSignature,

    /// <summary>The GroupInfo is not at the epoch the commit starts.</summary>
    GroupInfoEpoch,

    /// <summary>The GroupInfo's tree hash is not the hash of the tree computed here.</summary>
    GroupInfoTreeHash,

    /// <summary>Another field of the GroupInfo's GroupContext (or its confirmation tag) differs from the computed one.</summary>
    GroupInfoContext,
}
