using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The sender of a framed message (RFC 9420 §6: <c>Sender</c>): a member by leaf index, an external sender by its index in
/// <c>external_senders</c>, or a new member (no index).
/// </summary>
/// <param name="Type">The sender type.</param>
/// <param name="Index">The leaf index (member) or external-sender index (external); 0 for a new member.</param>
public readonly record struct MlsSender(MlsSenderType Type, uint Index)
{
    /// <summary>A member at leaf <paramref name="leafIndex"/>.</summary>
    public static MlsSender Member(uint leafIndex) => new(MlsSenderType.Member, leafIndex);

    /// <summary>A new member joining by external commit.</summary>
    public static MlsSender NewMemberCommit => new(MlsSenderType.NewMemberCommit, 0);

    /// <summary>Whether the sender type carries an index on the wire.</summary>
    public bool HasIndex => Type is MlsSenderType.Member or MlsSenderType.External;

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsSender value)
    {
        value = default;
        if (!r.TryReadEnum8("sender_type", out MlsSenderType type))
        {
            return false;
        }

        var index = 0u;
        if (type is MlsSenderType.Member or MlsSenderType.External && !r.TryReadUInt32("index", out index))
        {
            return false;
        }

        value = new MlsSender(type, index);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt8((byte)Type);
        if (HasIndex)
        {
            w.WriteUInt32(Index);
        }
    }
}
