using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// Walks the parts of RFC 9420 structures that are not length-delimited, only to find where they end
/// (a Proposal inside a PublicMessage, a Commit's optional UpdatePath, a Sender).
/// </summary>
internal static class MlsFraming
{
    // Proposal types of draft-ietf-mls-extensions; the values are the ones that draft suggests to IANA.
    private const ushort AppDataUpdate = 0x0008;
    private const ushort AppEphemeral = 0x0009;
    private const ushort SelfRemove = 0x000a;

    public static bool TrySkipProposal(ref TlsReader r)
    {
        var typeOffset = r.Position;
        if (!r.TryReadUInt16("proposal_type", out var type))
        {
            return false;
        }

        switch (type)
        {
            case 1: // add
                return r.TryReadStruct<MlsKeyPackage>("key_package", MlsKeyPackage.TryRead, out _);
            case 2: // update
                return r.TryReadStruct<MlsLeafNode>("leaf_node", MlsLeafNode.TryRead, out _);
            case 3: // remove
                return r.TryReadUInt32("removed", out _);
            case 4: // psk
                return TrySkipPreSharedKeyId(ref r);
            case 5: // reinit
                return r.TrySkipOpaque("group_id", TlsLengthPrefix.Varint)
                    && r.TryReadUInt16("version", out _)
                    && r.TryReadUInt16("cipher_suite", out _)
                    && r.TrySkipOpaque("extensions", TlsLengthPrefix.Varint);
            case 6: // external_init
                return r.TrySkipOpaque("kem_output", TlsLengthPrefix.Varint);
            case 7: // group_context_extensions
                return r.TrySkipOpaque("extensions", TlsLengthPrefix.Varint);
            case AppDataUpdate:
                if (!r.TryReadUInt16("component_id", out _) || !r.TryReadUInt8("op", out var op))
                {
                    return false;
                }

                return op switch
                {
                    1 => r.TrySkipOpaque("update", TlsLengthPrefix.Varint),
                    2 => true,
                    _ => r.FailAt(TlsErrorKind.UnknownEnumValue, "op", r.Position - 1, $"value {op}"),
                };
            case AppEphemeral:
                return r.TryReadUInt16("component_id", out _) && r.TrySkipOpaque("data", TlsLengthPrefix.Varint);
            case SelfRemove:
                return true;
            default:
                return r.FailAt(TlsErrorKind.UnknownEnumValue, "proposal_type", typeOffset, $"proposal type {type} cannot be framed");
        }
    }

    /// <summary>Frames a Commit; <paramref name="pathLeaf"/> is its UpdatePath's new leaf, when it has a path.</summary>
    public static bool TryReadCommit(ref TlsReader r, out MlsLeafNode? pathLeaf)
    {
        pathLeaf = null;
        // The proposals are a length-delimited vector: its framing is all a delivery service needs.
        if (!r.TrySkipOpaque("proposals", TlsLengthPrefix.Varint) || !r.TryReadPresence("path", out var hasPath))
        {
            return false;
        }

        return !hasPath
            || (r.TryReadStruct<MlsLeafNode>("path.leaf_node", MlsLeafNode.TryRead, out pathLeaf)
                && r.TrySkipOpaque("path.nodes", TlsLengthPrefix.Varint));
    }

    public static bool TryReadSender(ref TlsReader r, out MlsSenderType type, out uint index)
    {
        index = 0;
        if (!r.TryReadEnum8("public_message.content.sender.sender_type", out type))
        {
            return false;
        }

        return type is not (MlsSenderType.Member or MlsSenderType.External) || r.TryReadUInt32("public_message.content.sender.index", out index);
    }

    private static bool TrySkipPreSharedKeyId(ref TlsReader r)
    {
        if (!r.TryReadUInt8("psk.psktype", out var pskType))
        {
            return false;
        }

        switch (pskType)
        {
            case 1: // external
                if (!r.TrySkipOpaque("psk.psk_id", TlsLengthPrefix.Varint))
                {
                    return false;
                }

                break;
            case 2: // resumption
                if (!r.TryReadUInt8("psk.usage", out _)
                    || !r.TrySkipOpaque("psk.psk_group_id", TlsLengthPrefix.Varint)
                    || !r.TryReadUInt64("psk.psk_epoch", out _))
                {
                    return false;
                }

                break;
            default:
                return r.FailAt(TlsErrorKind.UnknownEnumValue, "psk.psktype", r.Position - 1, $"value {pskType}");
        }

        return r.TrySkipOpaque("psk.psk_nonce", TlsLengthPrefix.Varint);
    }
}
