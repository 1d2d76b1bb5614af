using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>One recipient entry of a Welcome: the KeyPackageRef it is for and its encrypted GroupSecrets.</summary>
public sealed record MlsEncryptedGroupSecrets(ByteString NewMember, HpkeCiphertext EncryptedGroupSecrets);

/// <summary>
/// An MLS Welcome (RFC 9420 §12.4.3.1), parsed to route it: the cipher suite and the KeyPackageRef of every new
/// member. Equality is by encoding.
/// </summary>
public sealed class MlsWelcome : IEquatable<MlsWelcome>
{
    private MlsWelcome()
    {
    }

    /// <summary>The encoded Welcome (the struct, not wrapped in an MLSMessage).</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The cipher suite.</summary>
    public MlsCipherSuite CipherSuite { get; private init; }

    /// <summary>One entry per new member, each naming the member's KeyPackageRef.</summary>
    public ValueArray<MlsEncryptedGroupSecrets> Secrets { get; private init; }

    /// <summary>The encrypted GroupInfo.</summary>
    public ByteString EncryptedGroupInfo { get; private init; }

    /// <summary>Decodes a bare Welcome.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsWelcome? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "Welcome", TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsWelcome value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadUInt16("cipher_suite", out var suite)
            || !r.TryReadVector<MlsEncryptedGroupSecrets>("secrets", TlsLengthPrefix.Varint, ReadSecrets, out var secrets)
            || !r.TryReadOpaque("encrypted_group_info", TlsLengthPrefix.Varint, out ByteString groupInfo))
        {
            return false;
        }

        value = new MlsWelcome
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            CipherSuite = (MlsCipherSuite)suite,
            Secrets = secrets,
            EncryptedGroupInfo = groupInfo,
        };
        return true;
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    private static bool ReadSecrets(ref TlsReader r, [MaybeNullWhen(false)] out MlsEncryptedGroupSecrets value)
    {
        value = null;
        if (!r.TryReadOpaque("new_member", TlsLengthPrefix.Varint, out ByteString newMember)
            || !r.TryReadStruct<HpkeCiphertext>("encrypted_group_secrets", HpkeCiphertext.TryRead, out var ciphertext))
        {
            return false;
        }

        value = new MlsEncryptedGroupSecrets(newMember, ciphertext);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(MlsWelcome? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsWelcome);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
