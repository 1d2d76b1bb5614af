using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// An MLS Proposal (RFC 9420 §12.1). Add, Update, Remove, ExternalInit and GroupContextExtensions are decoded into their
/// fields; PreSharedKey, ReInit and the draft-extension types are framed and kept as their encoded <see cref="Body"/>
/// (a server does not act on them). Equality is by encoding.
/// </summary>
public sealed class MlsProposal : IEquatable<MlsProposal>
{
    private MlsProposal()
    {
    }

    /// <summary>The encoded Proposal (type and body).</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The proposal type.</summary>
    public MlsProposalType Type { get; private init; }

    /// <summary>The encoded body after the type (for example the PreSharedKeyID of a psk proposal).</summary>
    public ByteString Body { get; private init; }

    /// <summary>The KeyPackage of an add proposal.</summary>
    public MlsKeyPackage? Add { get; private init; }

    /// <summary>The new leaf node of an update proposal.</summary>
    public MlsLeafNode? Update { get; private init; }

    /// <summary>The removed leaf index of a remove proposal.</summary>
    public uint? Removed { get; private init; }

    /// <summary>The KEM output of an external_init proposal.</summary>
    public ByteString ExternalInitKemOutput { get; private init; }

    /// <summary>The extensions of a group_context_extensions proposal.</summary>
    public ValueArray<MlsExtension> GroupContextExtensions { get; private init; }

    /// <summary>An add proposal.</summary>
    public static MlsProposal ForAdd(MlsKeyPackage keyPackage)
    {
        ArgumentNullException.ThrowIfNull(keyPackage);
        return Build(MlsProposalType.Add, w => w.WriteBytes(keyPackage.Encoded.Span));
    }

    /// <summary>An update proposal.</summary>
    public static MlsProposal ForUpdate(MlsLeafNode leafNode)
    {
        ArgumentNullException.ThrowIfNull(leafNode);
        return Build(MlsProposalType.Update, w => w.WriteBytes(leafNode.Encoded.Span));
    }

    /// <summary>A remove proposal.</summary>
    public static MlsProposal ForRemove(uint leafIndex) => Build(MlsProposalType.Remove, w => w.WriteUInt32(leafIndex));

    /// <summary>An external_init proposal.</summary>
    public static MlsProposal ForExternalInit(ByteString kemOutput) =>
        Build(MlsProposalType.ExternalInit, w => w.WriteOpaque(kemOutput.Span, TlsLengthPrefix.Varint));

    /// <summary>A group_context_extensions proposal.</summary>
    public static MlsProposal ForGroupContextExtensions(ValueArray<MlsExtension> extensions) =>
        Build(MlsProposalType.GroupContextExtensions, w => MlsExtension.WriteList(w, extensions));

    /// <summary>A proposal of any type from its encoded body, which must decode as that type's body.</summary>
    /// <exception cref="ArgumentException">The body does not decode as a proposal of <paramref name="type"/>.</exception>
    public static MlsProposal FromBody(MlsProposalType type, ReadOnlySpan<byte> body)
    {
        var bytes = body.ToArray();
        return Build(type, w => w.WriteBytes(bytes));
    }

    /// <summary>Decodes a bare Proposal that must span the whole input; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsProposal? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "Proposal", TryRead, out value, out error);

    /// <summary>
    /// Decodes the body of a proposal of <paramref name="type"/> alone (the <c>Add</c>, <c>Remove</c>… structs of RFC 9420
    /// §12.1, as the interop vectors carry them); never throws on malformed input.
    /// </summary>
    public static bool TryDecodeBody(MlsProposalType type, ReadOnlySpan<byte> body, [NotNullWhen(true)] out MlsProposal? value, out TlsError error)
    {
        using var w = new TlsWriter(body.Length + 2);
        w.WriteUInt16((ushort)type);
        w.WriteBytes(body);
        return TryDecode(w.WrittenSpan, out value, out error);
    }

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsProposal value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadUInt16("proposal_type", out var code))
        {
            return false;
        }

        var type = (MlsProposalType)code;
        var bodyStart = r.Position;
        MlsKeyPackage? add = null;
        MlsLeafNode? update = null;
        uint? removed = null;
        ByteString kemOutput = default;
        ValueArray<MlsExtension> extensions = default;
        bool read;
        switch (type)
        {
            case MlsProposalType.Add:
                read = r.TryReadStruct<MlsKeyPackage>("key_package", MlsKeyPackage.TryRead, out add);
                break;
            case MlsProposalType.Update:
                read = r.TryReadStruct<MlsLeafNode>("leaf_node", MlsLeafNode.TryRead, out update);
                break;
            case MlsProposalType.Remove:
                read = r.TryReadUInt32("removed", out var leaf);
                removed = leaf;
                break;
            case MlsProposalType.PreSharedKey:
                read = TrySkipPreSharedKeyId(ref r);
                break;
            case MlsProposalType.ReInit:
                read = r.TrySkipOpaque("group_id", TlsLengthPrefix.Varint)
                    && r.TryReadUInt16("version", out _)
                    && r.TryReadUInt16("cipher_suite", out _)
                    && MlsExtension.TryReadList(ref r, "extensions", out _);
                break;
            case MlsProposalType.ExternalInit:
                read = r.TryReadOpaque("kem_output", TlsLengthPrefix.Varint, out kemOutput);
                break;
            case MlsProposalType.GroupContextExtensions:
                read = MlsExtension.TryReadList(ref r, "extensions", out extensions);
                break;
            case MlsProposalType.AppDataUpdate:
                read = TrySkipAppDataUpdate(ref r);
                break;
            case MlsProposalType.AppEphemeral:
                read = r.TryReadUInt16("component_id", out _) && r.TrySkipOpaque("data", TlsLengthPrefix.Varint);
                break;
            case MlsProposalType.SelfRemove:
                read = true;
                break;
            default:
                return r.FailAt(TlsErrorKind.UnknownEnumValue, "proposal_type", start, $"proposal type {code} cannot be framed");
        }

        if (!read)
        {
            return false;
        }

        value = new MlsProposal
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            Type = type,
            Body = ByteString.CopyFrom(r.Consumed(bodyStart)),
            Add = add,
            Update = update,
            Removed = removed,
            ExternalInitKemOutput = kemOutput,
            GroupContextExtensions = extensions,
        };
        return true;
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    private static MlsProposal Build(MlsProposalType type, Action<TlsWriter> body)
    {
        using var w = new TlsWriter();
        w.WriteUInt16((ushort)type);
        body(w);
        return TryDecode(w.WrittenSpan, out var value, out var error)
            ? value
            : throw new ArgumentException($"Not a {type} proposal: {error.Message}", nameof(body));
    }

    private static bool TrySkipAppDataUpdate(ref TlsReader r)
    {
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
    }

    private static bool TrySkipPreSharedKeyId(ref TlsReader r)
    {
        if (!r.TryReadUInt8("psk.psktype", out var pskType))
        {
            return false;
        }

        var read = pskType switch
        {
            1 => r.TrySkipOpaque("psk.psk_id", TlsLengthPrefix.Varint),
            2 => r.TryReadUInt8("psk.usage", out _)
                && r.TrySkipOpaque("psk.psk_group_id", TlsLengthPrefix.Varint)
                && r.TryReadUInt64("psk.psk_epoch", out _),
            _ => r.FailAt(TlsErrorKind.UnknownEnumValue, "psk.psktype", r.Position - 1, $"value {pskType}"),
        };
        return read && r.TrySkipOpaque("psk.psk_nonce", TlsLengthPrefix.Varint);
    }

    /// <inheritdoc/>
    public bool Equals(MlsProposal? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsProposal);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
