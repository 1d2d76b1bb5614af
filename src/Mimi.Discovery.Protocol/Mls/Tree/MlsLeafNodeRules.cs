using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The leaf node validation of RFC 9420 §7.3 that a server holding the public tree can do: the source the context
/// requires, the lifetime of a <c>key_package</c> leaf, capabilities (the leaf's own extensions, the group's
/// <c>required_capabilities</c>, credential types supported both ways with every member), signature and encryption
/// keys not used elsewhere in the tree, and the signature over LeafNodeTBS. Whether the credential names who it should
/// is for the caller (the authentication service of §5.3.1).
/// </summary>
public static class MlsLeafNodeRules
{
    private const string Label = "LeafNodeTBS";

    // The clock skew KeyPackageValidator allows by default.
    private const long ClockSkewSeconds = 300;

    /// <summary>
    /// Verifies a leaf node's signature over LeafNodeTBS (RFC 9420 §7.2): the node's fields for a <c>key_package</c>
    /// leaf, followed by the group id and the leaf index for <c>update</c> and <c>commit</c> leaves.
    /// </summary>
    public static MlsSignatureCheck VerifySignature(MlsCipherSuite suite, MlsLeafNode node, ReadOnlySpan<byte> groupId, uint leafIndex)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Source == MlsLeafNodeSource.KeyPackage)
        {
            return MlsSignature.VerifyWithLabel(suite, node.SignatureKey.Span, Label, node.SignedContent.Span, node.Signature.Span);
        }

        using var w = new TlsWriter(node.SignedContent.Length + groupId.Length + 8);
        w.WriteBytes(node.SignedContent.Span);
        w.WriteOpaque(groupId, TlsLengthPrefix.Varint);
        w.WriteUInt32(leafIndex);
        return MlsSignature.VerifyWithLabel(suite, node.SignatureKey.Span, Label, w.WrittenSpan, node.Signature.Span);
    }

    /// <summary>
    /// Checks a leaf node that is to occupy (or replace) leaf <paramref name="leafIndex"/> of <paramref name="tree"/>;
    /// returns why it is refused, or <see langword="null"/> when it passes. Cheap checks come first, the signature last.
    /// </summary>
    /// <param name="suite">The group's cipher suite.</param>
    /// <param name="tree">The tree the leaf joins; the leaf at <paramref name="leafIndex"/> is left out of the comparisons.</param>
    /// <param name="leafIndex">The leaf the node occupies or replaces (signed into update and commit leaves).</param>
    /// <param name="node">The leaf node.</param>
    /// <param name="groupId">The group id (signed into update and commit leaves).</param>
    /// <param name="expectedSource">The source the context requires: key_package for an Add, update for an Update, commit for an UpdatePath.</param>
    /// <param name="now">The time a key_package leaf's lifetime must cover (five minutes' skew allowed).</param>
    /// <param name="groupContextExtensions">The group context's extensions, whose <c>required_capabilities</c> the leaf must meet.</param>
    public static string? Check(
        MlsCipherSuite suite,
        MlsPublicTree tree,
        uint leafIndex,
        MlsLeafNode node,
        ReadOnlySpan<byte> groupId,
        MlsLeafNodeSource expectedSource,
        DateTimeOffset now,
        ValueArray<MlsExtension> groupContextExtensions = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(node);
        if (node.Source != expectedSource)
        {
            return $"The leaf node's source is {node.Source}; {expectedSource} is required here.";
        }

        if (node.Source == MlsLeafNodeSource.KeyPackage
            && KeyPackageValidator.CheckLifetime(node.NotBefore!.Value, node.NotAfter!.Value, now.ToUnixTimeSeconds(), ClockSkewSeconds, null) is { } lifetime)
        {
            return lifetime.Message;
        }

        if (CheckCapabilities(tree, leafIndex, node, groupContextExtensions) is { } capabilities)
        {
            return capabilities;
        }

        if (CheckUniqueKeys(tree, leafIndex, node) is { } keys)
        {
            return keys;
        }

        return VerifySignature(suite, node, groupId, leafIndex) switch
        {
            MlsSignatureCheck.Valid => null,
            MlsSignatureCheck.BadKey => $"The leaf node's signature key ({node.SignatureKey.Length} bytes) is not a key of cipher suite 0x{(ushort)suite:x4}.",
            MlsSignatureCheck.UnsupportedSuite => $"Signatures of cipher suite 0x{(ushort)suite:x4} cannot be verified here.",
            _ => "The leaf node's signature does not verify with its signature key.",
        };
    }

    private static string? CheckCapabilities(MlsPublicTree tree, uint leafIndex, MlsLeafNode node, ValueArray<MlsExtension> groupContextExtensions)
    {
        var capabilities = node.Capabilities;
        if (KeyPackageValidator.FindDuplicate(node.Extensions) is { } duplicate)
        {
            return $"The leaf node carries extension 0x{duplicate:x4} more than once.";
        }

        if (KeyPackageValidator.FindUnlistedExtension(node.Extensions, capabilities) is { } unlisted)
        {
            return $"The leaf node carries extension 0x{unlisted:x4}, which its capabilities do not list.";
        }

        foreach (var extension in groupContextExtensions)
        {
            if (extension.ExtensionType != MlsExtensionTypes.RequiredCapabilities)
            {
                continue;
            }

            if (!TlsCodec.TryDecode<MlsRequiredCapabilities>(extension.Data.Span, null, "required_capabilities", MlsRequiredCapabilities.TryRead, out var required, out var error))
            {
                return $"The group's required_capabilities cannot be read: {error.Message}";
            }

            if (Missing(required.ExtensionTypes, capabilities.Extensions, skipDefault: true) is { } extensionType)
            {
                return $"The leaf node does not support extension 0x{extensionType:x4}, which the group requires.";
            }

            if (Missing(required.ProposalTypes, capabilities.Proposals, skipDefault: false) is { } proposalType)
            {
                return $"The leaf node does not support proposal type 0x{proposalType:x4}, which the group requires.";
            }

            if (Missing(required.CredentialTypes, capabilities.Credentials, skipDefault: false) is { } credentialType)
            {
                return $"The leaf node does not support credential type 0x{credentialType:x4}, which the group requires.";
            }
        }

        var credential = (ushort)node.Credential.CredentialType;
        foreach (var member in tree.Leaves)
        {
            if (member.LeafIndex == leafIndex)
            {
                continue;
            }

            if (!KeyPackageValidator.Contains(member.Node.Capabilities.Credentials, credential))
            {
                return $"The leaf node's credential type {node.Credential.CredentialType} is not supported by the member at leaf {member.LeafIndex}.";
            }

            if (!KeyPackageValidator.Contains(capabilities.Credentials, (ushort)member.Node.Credential.CredentialType))
            {
                return $"The leaf node does not support credential type {member.Node.Credential.CredentialType} of the member at leaf {member.LeafIndex}.";
            }
        }

        return null;
    }

    // RFC 9420 §7.3: signature and encryption keys are unique among the members; an encryption key is not reused from
    // any node of the tree, the one being replaced included.
    private static string? CheckUniqueKeys(MlsPublicTree tree, uint leafIndex, MlsLeafNode node)
    {
        if (tree.LeafAt(leafIndex) is { } current && current.EncryptionKey.Equals(node.EncryptionKey))
        {
            return $"The leaf node's encryption key is the one leaf {leafIndex} has now.";
        }

        foreach (var member in tree.Leaves)
        {
            if (member.LeafIndex == leafIndex)
            {
                continue;
            }

            if (member.Node.SignatureKey.Equals(node.SignatureKey))
            {
                return $"The leaf node's signature key is already used by the member at leaf {member.LeafIndex}.";
            }

            if (member.Node.EncryptionKey.Equals(node.EncryptionKey))
            {
                return $"The leaf node's encryption key is already used by the member at leaf {member.LeafIndex}.";
            }
        }

        for (var parent = 1u; parent < MlsTreeMath.NodeWidth(tree.LeafCount); parent += 2)
        {
            if (tree.ParentAt(parent) is { } p && p.EncryptionKey.Equals(node.EncryptionKey))
            {
                return $"The leaf node's encryption key is already the key of parent node {parent}.";
            }
        }

        return null;
    }

    private static ushort? Missing(ValueArray<ushort> required, ValueArray<ushort> supported, bool skipDefault)
    {
        foreach (var code in required)
        {
            if (!(skipDefault && MlsExtensionTypes.IsDefault(code)) && !KeyPackageValidator.Contains(supported, code))
            {
                return code;
            }
        }

        return null;
    }
}
