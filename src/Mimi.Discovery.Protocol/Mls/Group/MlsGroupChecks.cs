namespace Mimi.Discovery.Protocol;

/// <summary>The names of <see cref="MlsGroupCheck"/> values as problem details and the README carry them.</summary>
public static class MlsGroupChecks
{
    /// <summary>The kebab-case name of <paramref name="check"/>, for example <c>parent-hash</c>.</summary>
    public static string Name(MlsGroupCheck check) => check switch
    {
        MlsGroupCheck.Decoding => "decoding",
        MlsGroupCheck.WireFormat => "wire-format",
        MlsGroupCheck.CipherSuite => "cipher-suite",
        MlsGroupCheck.GroupId => "group-id",
        MlsGroupCheck.Epoch => "epoch",
        MlsGroupCheck.Sender => "sender",
        MlsGroupCheck.Signature => "signature",
        MlsGroupCheck.ProposalType => "proposal-type",
        MlsGroupCheck.AddKeyPackage => "add-key-package",
        MlsGroupCheck.Remove => "remove",
        MlsGroupCheck.Update => "update",
        MlsGroupCheck.LeafNode => "leaf-node",
        MlsGroupCheck.GroupContextExtensions => "group-context-extensions",
        MlsGroupCheck.ProposalList => "proposal-list",
        MlsGroupCheck.ProposalReference => "proposal-reference",
        MlsGroupCheck.ExternalCommit => "external-commit",
        MlsGroupCheck.PathRequired => "path-required",
        MlsGroupCheck.ParentHash => "parent-hash",
        MlsGroupCheck.AttachedTree => "attached-tree",
        MlsGroupCheck.GroupInfoSignature => "group-info-signature",
        MlsGroupCheck.GroupInfoEpoch => "group-info-epoch",
        MlsGroupCheck.GroupInfoTreeHash => "group-info-tree-hash",
        MlsGroupCheck.GroupInfoContext => "group-info-context",
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, null),
    };
}
