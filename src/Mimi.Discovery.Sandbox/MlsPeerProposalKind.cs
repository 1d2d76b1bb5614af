namespace Mimi.Discovery.Sandbox;

/// <summary>What a <c>propose</c> request proposes.</summary>
public enum MlsPeerProposalKind
{
    /// <summary>Add the member of a KeyPackage.</summary>
    Add,

    /// <summary>Remove the member with a given credential identity.</summary>
    Remove,

    /// <summary>Update the proposer's own leaf with a fresh HPKE key.</summary>
    Update,
}
