using System.Collections.Concurrent;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// RFC 9420 §12.1: whether one proposal is valid against a group's public state, for a standalone proposal and for the
/// inline proposals of a commit alike. Each check returns the refusal, or <see langword="null"/> when it passes.
/// </summary>
internal static class MlsProposalRules
{
    private static readonly ConcurrentDictionary<MlsCipherSuite, KeyPackageValidatorOptions> OptionsBySuite = new();

    /// <summary>An Add: the KeyPackage checks of §10.1 in the group's suite, and its leaf fits the tree and the group.</summary>
    public static MlsGroupRefusal? CheckAdd(MlsGroupContext context, MlsPublicTree tree, MlsKeyPackage keyPackage, DateTimeOffset now) =>
        CheckKeyPackage(context.CipherSuite, keyPackage, now)
        ?? CheckAddedLeaf(context.CipherSuite, tree, keyPackage.LeafNode, context.GroupId, context.Extensions, now);

    /// <summary>The KeyPackage of an Add alone (§10.1): version, the group's suite, lifetime, keys, capabilities, signatures.</summary>
    public static MlsGroupRefusal? CheckKeyPackage(MlsCipherSuite suite, MlsKeyPackage keyPackage, DateTimeOffset now)
    {
        var options = OptionsBySuite.GetOrAdd(suite, static s => new KeyPackageValidatorOptions { CipherSuites = [s] });
        var validation = new KeyPackageValidator(options, new MlsFixedClock(now)).Validate(keyPackage);
        return validation.IsValid ? null : new(MlsGroupCheck.AddKeyPackage, validation.Message);
    }

    /// <summary>The leaf of an Add against the tree it joins (unique keys, capabilities) and the group's extensions.</summary>
    public static MlsGroupRefusal? CheckAddedLeaf(MlsCipherSuite suite, MlsPublicTree tree, MlsLeafNode leaf, ByteString groupId, ValueArray<MlsExtension> extensions, DateTimeOffset now)
    {
        if (MlsLeafNodeRules.Check(suite, tree, tree.FirstBlankLeaf(), leaf, groupId.Span, MlsLeafNodeSource.KeyPackage, now, extensions) is { } detail)
        {
            return new(MlsGroupCheck.AddKeyPackage, detail);
        }

        return Unsupported(leaf, extensions) is { } missing
            ? new(MlsGroupCheck.AddKeyPackage, $"The added client {missing}.")
            : null;
    }

    /// <summary>A Remove: the leaf is occupied.</summary>
    public static MlsGroupRefusal? CheckRemove(MlsPublicTree tree, uint removed) =>
        tree.LeafAt(removed) is null
            ? new(MlsGroupCheck.Remove, $"Leaf {removed} is blank or outside the tree of {tree.LeafCount} leaves; there is no member to remove.")
            : null;

    /// <summary>An Update from the member at <paramref name="sender"/>: a valid update leaf for that leaf, same identity.</summary>
    public static MlsGroupRefusal? CheckUpdate(MlsGroupContext context, MlsPublicTree tree, uint sender, MlsLeafNode leaf, DateTimeOffset now)
    {
        var current = tree.LeafAt(sender);
        if (current is null)
        {
            return new(MlsGroupCheck.Update, $"Leaf {sender} is blank: an Update comes from the leaf's own member.");
        }

        if (!current.Credential.Equals(leaf.Credential))
        {
            return new(MlsGroupCheck.Update, $"The Update changes the credential of leaf {sender}; a member keeps its identity.");
        }

        if (MlsLeafNodeRules.Check(context.CipherSuite, tree, sender, leaf, context.GroupId.Span, MlsLeafNodeSource.Update, now, context.Extensions) is { } detail)
        {
            return new(MlsGroupCheck.LeafNode, detail);
        }

        return Unsupported(leaf, context.Extensions) is { } missing ? new(MlsGroupCheck.LeafNode, $"The updated leaf {missing}.") : null;
    }

    /// <summary>GroupContextExtensions: no type twice, and every member supports them.</summary>
    public static MlsGroupRefusal? CheckGroupContextExtensions(MlsPublicTree tree, ValueArray<MlsExtension> extensions)
    {
        for (var i = 1; i < extensions.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (extensions[i].ExtensionType == extensions[j].ExtensionType)
                {
                    return new(MlsGroupCheck.GroupContextExtensions, $"Extension 0x{extensions[i].ExtensionType:x4} appears twice.");
                }
            }
        }

        foreach (var member in tree.Leaves)
        {
            if (Unsupported(member.Node, extensions) is { } missing)
            {
                return new(MlsGroupCheck.GroupContextExtensions, $"The member at leaf {member.LeafIndex} {missing}.");
            }
        }

        return null;
    }

    /// <summary>The refusal of a proposal type the hub does not act on, or of one that has no place outside an external commit.</summary>
    public static MlsGroupRefusal Unsupported(MlsProposalType type) => type == MlsProposalType.ExternalInit
        ? new(MlsGroupCheck.ProposalType, "An ExternalInit proposal is only valid inside an external commit.")
        : new(MlsGroupCheck.ProposalType, $"The hub does not support {Name(type)} proposals: it cannot check them, so it does not accept them.");

    /// <summary>A proposal type as RFC 9420 names it.</summary>
    public static string Name(MlsProposalType type) => type switch
    {
        MlsProposalType.Add => "add",
        MlsProposalType.Update => "update",
        MlsProposalType.Remove => "remove",
        MlsProposalType.PreSharedKey => "psk",
        MlsProposalType.ReInit => "reinit",
        MlsProposalType.ExternalInit => "external_init",
        MlsProposalType.GroupContextExtensions => "group_context_extensions",
        _ => $"0x{(ushort)type:x4}",
    };

    // RFC 9420 §7.2, §11.1: a member must list every non-default extension type the group context uses, and meet its
    // required_capabilities. Returns what is missing, as the end of a sentence.
    private static string? Unsupported(MlsLeafNode leaf, ValueArray<MlsExtension> extensions)
    {
        var capabilities = leaf.Capabilities;
        foreach (var extension in extensions)
        {
            var type = extension.ExtensionType;
            if (!MlsExtensionTypes.IsDefault(type) && !MlsExtensionTypes.IsGrease(type) && !KeyPackageValidator.Contains(capabilities.Extensions, type))
            {
                return $"does not support the group context extension 0x{type:x4}";
            }

            if (type != MlsExtensionTypes.RequiredCapabilities)
            {
                continue;
            }

            var reader = new TlsReader(extension.Data.Span);
            if (!reader.TryReadStruct<MlsRequiredCapabilities>("required_capabilities", MlsRequiredCapabilities.TryRead, out var required)
                || !reader.TryFinish("required_capabilities"))
            {
                return $"cannot be checked against required_capabilities that do not decode ({reader.Error.Message})";
            }

            foreach (var code in required.ExtensionTypes)
            {
                if (!MlsExtensionTypes.IsDefault(code) && !KeyPackageValidator.Contains(capabilities.Extensions, code))
                {
                    return $"does not support extension 0x{code:x4}, which the group requires";
                }
            }

            foreach (var code in required.ProposalTypes)
            {
                if (!KeyPackageValidator.Contains(capabilities.Proposals, code))
                {
                    return $"does not support proposal type 0x{code:x4}, which the group requires";
                }
            }

            foreach (var code in required.CredentialTypes)
            {
                if (!KeyPackageValidator.Contains(capabilities.Credentials, code))
                {
                    return $"does not support credential type 0x{code:x4}, which the group requires";
                }
            }
        }

        return null;
    }
}
