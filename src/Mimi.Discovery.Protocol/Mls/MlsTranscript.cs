using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The transcript hashes of RFC 9420 §8.2, which a server can follow from the public commits alone:
/// <c>confirmed = Hash(interim_before || ConfirmedTranscriptHashInput)</c> and
/// <c>interim = Hash(confirmed || InterimTranscriptHashInput)</c>.
/// </summary>
public static class MlsTranscript
{
    /// <summary>The confirmed transcript hash after <paramref name="commit"/>.</summary>
    /// <param name="suite">The group's cipher suite.</param>
    /// <param name="interimBefore">The interim transcript hash of the epoch the commit was sent in.</param>
    /// <param name="commit">A PublicMessage carrying a commit.</param>
    /// <exception cref="ArgumentException">The message is not a commit, or the suite's hash is not known here.</exception>
    public static ByteString Confirmed(MlsCipherSuite suite, ReadOnlySpan<byte> interimBefore, MlsPublicMessage commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Content.ContentType != MlsContentType.Commit)
        {
            throw new ArgumentException("Only a commit enters the confirmed transcript.", nameof(commit));
        }

        // ConfirmedTranscriptHashInput: wire_format, content, signature.
        using var w = new TlsWriter(interimBefore.Length + commit.Encoded.Length + 8);
        w.WriteBytes(interimBefore);
        w.WriteUInt16((ushort)MlsWireFormat.PublicMessage);
        commit.Content.Write(w);
        w.WriteOpaque(commit.Signature.Span, TlsLengthPrefix.Varint);
        return Hash(suite, w.WrittenSpan);
    }

    /// <summary>The interim transcript hash from the confirmed one and the commit's confirmation tag.</summary>
    /// <param name="suite">The group's cipher suite.</param>
    /// <param name="confirmed">The confirmed transcript hash of the epoch.</param>
    /// <param name="confirmationTag">The confirmation tag of the commit that started the epoch.</param>
    /// <exception cref="ArgumentException">The suite's hash is not known here.</exception>
    public static ByteString Interim(MlsCipherSuite suite, ReadOnlySpan<byte> confirmed, ReadOnlySpan<byte> confirmationTag)
    {
        using var w = new TlsWriter(confirmed.Length + confirmationTag.Length + 8);
        w.WriteBytes(confirmed);
        w.WriteOpaque(confirmationTag, TlsLengthPrefix.Varint);
        return Hash(suite, w.WrittenSpan);
    }

    private static ByteString Hash(MlsCipherSuite suite, ReadOnlySpan<byte> input)
    {
        if (!MlsRefHash.TryGetHashAlgorithm(suite, out var hash))
        {
            throw new ArgumentException($"The hash of cipher suite 0x{(ushort)suite:x4} is not known here.", nameof(suite));
        }

        return MlsRefHash.Hash(hash, input);
    }
}
