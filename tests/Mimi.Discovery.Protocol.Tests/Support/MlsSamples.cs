using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Support;

/// <summary>Builds syntactically valid RFC 9420 encodings with the codec's own writer.</summary>
internal static class MlsSamples
{
    public static byte[] Build(Action<TlsWriter> write)
    {
        using var w = new TlsWriter();
        write(w);
        return w.ToArray();
    }

    public static void Codes(TlsWriter w, params ushort[] codes)
    {
        w.WriteVarint(codes.Length * 2);
        foreach (var c in codes)
        {
            w.WriteUInt16(c);
        }
    }

    public static void BasicCredential(TlsWriter w, byte[] identity)
    {
        w.WriteUInt16(1);
        w.WriteOpaque(identity, TlsLengthPrefix.Varint);
    }

    public static void LeafNode(TlsWriter w, byte[] encryptionKey, byte[] signatureKey, byte[] identity, ushort[] grease, MlsLeafNodeSource source, byte[] signature)
    {
        w.WriteOpaque(encryptionKey, TlsLengthPrefix.Varint);
        w.WriteOpaque(signatureKey, TlsLengthPrefix.Varint);
        BasicCredential(w, identity);
        // Capabilities with GREASE code points mixed in, as ts-mls sends them.
        Codes(w, [1, .. grease]);
        Codes(w, [1, 3, .. grease]);
        Codes(w, [.. grease]);
        Codes(w, [.. grease]);
        Codes(w, [1, .. grease]);
        LeafNodeSource(w, source, 1_700_000_000, 1_900_000_000, new byte[32]);

        Extensions(w, grease);
        w.WriteOpaque(signature, TlsLengthPrefix.Varint);
    }

    /// <summary>A LeafNode's source and what it carries: the lifetime of a KeyPackage leaf, the parent hash of a Commit leaf.</summary>
    public static void LeafNodeSource(TlsWriter w, MlsLeafNodeSource source, ulong notBefore, ulong notAfter, byte[] parentHash)
    {
        w.WriteUInt8((byte)source);
        if (source == MlsLeafNodeSource.KeyPackage)
        {
            w.WriteUInt64(notBefore);
            w.WriteUInt64(notAfter);
        }
        else if (source == MlsLeafNodeSource.Commit)
        {
            w.WriteOpaque(parentHash, TlsLengthPrefix.Varint);
        }
    }

    public static void Extensions(TlsWriter w, ushort[] types)
    {
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var t in types)
        {
            w.WriteUInt16(t);
            w.WriteOpaque([(byte)t, 0x42], TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
    }

    public static byte[] KeyPackage(ushort suite, byte[] initKey, byte[] identity, ushort[] grease, byte[] signature) => Build(w =>
    {
        w.WriteUInt16(1);
        w.WriteUInt16(suite);
        w.WriteOpaque(initKey, TlsLengthPrefix.Varint);
        LeafNode(w, [.. initKey, 1], [.. initKey, 2], identity, grease, MlsLeafNodeSource.KeyPackage, signature);
        Extensions(w, grease);
        w.WriteOpaque(signature, TlsLengthPrefix.Varint);
    });

    public static byte[] Welcome(ushort suite, byte[][] refs, byte[] encryptedGroupInfo) => Build(w =>
    {
        w.WriteUInt16(suite);
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var r in refs)
        {
            w.WriteOpaque(r, TlsLengthPrefix.Varint);
            w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
            w.WriteOpaque(encryptedGroupInfo.AsSpan(0, Math.Min(encryptedGroupInfo.Length, 40)), TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
        w.WriteOpaque(encryptedGroupInfo, TlsLengthPrefix.Varint);
    });

    public static byte[] GroupInfo(ushort suite, byte[] groupId, ulong epoch) => Build(w =>
    {
        w.WriteUInt16(1);
        w.WriteUInt16(suite);
        w.WriteOpaque(groupId, TlsLengthPrefix.Varint);
        w.WriteUInt64(epoch);
        w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
        w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
        Extensions(w, [0xF000]);
        Extensions(w, [4]);
        w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
        w.WriteUInt32(0);
        w.WriteOpaque(new byte[64], TlsLengthPrefix.Varint);
    });

    public static byte[] Wrap(MlsWireFormat wireFormat, byte[] body) => Build(w =>
    {
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)wireFormat);
        w.WriteBytes(body);
    });

    public static byte[] PrivateMessage(byte[] groupId, ulong epoch, MlsContentType contentType, byte[] ciphertext) => Build(w =>
    {
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)MlsWireFormat.PrivateMessage);
        w.WriteOpaque(groupId, TlsLengthPrefix.Varint);
        w.WriteUInt64(epoch);
        w.WriteUInt8((byte)contentType);
        w.WriteOpaque([], TlsLengthPrefix.Varint);
        w.WriteOpaque(new byte[16], TlsLengthPrefix.Varint);
        w.WriteOpaque(ciphertext, TlsLengthPrefix.Varint);
    });

    /// <summary>A member's PublicMessage carrying a commit (with or without an UpdatePath) or a Remove proposal.</summary>
    public static byte[] PublicMessage(byte[] groupId, ulong epoch, MlsContentType contentType, bool withPath) => Build(w =>
    {
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)MlsWireFormat.PublicMessage);
        w.WriteOpaque(groupId, TlsLengthPrefix.Varint);
        w.WriteUInt64(epoch);
        w.WriteUInt8((byte)MlsSenderType.Member);
        w.WriteUInt32(3);
        w.WriteOpaque([], TlsLengthPrefix.Varint);
        w.WriteUInt8((byte)contentType);
        switch (contentType)
        {
            case MlsContentType.Application:
                w.WriteOpaque([1, 2, 3], TlsLengthPrefix.Varint);
                break;
            case MlsContentType.Proposal:
                w.WriteUInt16(3); // remove
                w.WriteUInt32(7);
                break;
            default:
                var proposals = w.BeginVector(TlsLengthPrefix.Varint);
                w.WriteUInt8(2); // reference
                w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
                w.EndVector(proposals);
                w.WritePresence(withPath);
                if (withPath)
                {
                    LeafNode(w, [9, 9], [8, 8], [7], [0x0A0A], MlsLeafNodeSource.Commit, new byte[64]);
                    w.WriteOpaque(new byte[100], TlsLengthPrefix.Varint);
                }

                break;
        }

        w.WriteOpaque(new byte[64], TlsLengthPrefix.Varint);
        if (contentType == MlsContentType.Commit)
        {
            w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
        }

        w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
    });


    public static MlsKeyPackage ParseKeyPackage(byte[] bytes)
    {
        Assert.True(MlsKeyPackage.TryDecode(bytes, out var kp, out var error), error.Message);
        return kp;
    }

    public static MlsMessage ParseMessage(byte[] bytes)
    {
        Assert.True(MlsMessage.TryDecode(bytes, out var message, out var error), error.Message);
        return message;
    }

    public static MlsWelcome ParseWelcome(byte[] bytes)
    {
        Assert.True(MlsWelcome.TryDecode(bytes, out var welcome, out var error), error.Message);
        return welcome;
    }

    public static MlsGroupInfo ParseGroupInfo(byte[] bytes)
    {
        Assert.True(MlsGroupInfo.TryDecode(bytes, out var groupInfo, out var error), error.Message);
        return groupInfo;
    }
}
