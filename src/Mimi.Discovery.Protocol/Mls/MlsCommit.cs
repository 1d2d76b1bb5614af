using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>An MLS Commit (RFC 9420 §12.4): the proposals it covers, in order, and its UpdatePath, if any.</summary>
/// <param name="Proposals">The proposals, inline or by reference.</param>
/// <param name="Path">The UpdatePath, or <see langword="null"/> for a commit without one.</param>
public sealed record MlsCommit(ValueArray<MlsProposalOrRef> Proposals, MlsUpdatePath? Path)
{
    /// <summary>Decodes a bare Commit that must span the whole input; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsCommit? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "Commit", TryRead, out value, out error);

    /// <summary>Encodes the commit.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.Write(w));

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsCommit value)
    {
        value = null;
        if (!r.TryReadVector<MlsProposalOrRef>("proposals", TlsLengthPrefix.Varint, MlsProposalOrRef.TryRead, out var proposals)
            || !r.TryReadOptional<MlsUpdatePath>("path", MlsUpdatePath.TryRead, out var path))
        {
            return false;
        }

        value = new MlsCommit(proposals, path);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var proposal in Proposals)
        {
            proposal.Write(w);
        }

        w.EndVector(scope);
        w.WritePresence(Path is not null);
        Path?.Write(w);
    }
}
