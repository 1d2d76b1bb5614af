using FsCheck;
using FsCheck.Xunit;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls.Group;

/// <summary>A stored group state decodes to what was encoded, and random or damaged bytes never throw from TryDecode.</summary>
public class MlsPublicGroupStateFuzzTests
{
    private static readonly byte[] Seed = State(MlsSamples.PublicMessage([1], 3, MlsContentType.Proposal, false));

    [Fact]
    public void A_stored_state_decodes_and_encodes_to_the_same_bytes()
    {
        Assert.True(MlsPublicGroupState.TryDecode(Seed, out var state, out var error), error.Message);
        Assert.Equal(Seed, state.Encode());
        Assert.Equal(3UL, state.Context.Epoch);
        Assert.Equal([0U, 2U], state.Members.Select(m => m.LeafIndex));
        var pending = Assert.Single(state.PendingProposals);
        Assert.Equal((MlsSenderType.Member, 3U, 1_700_000_000_000UL), (pending.Sender.Type, pending.Sender.Index, pending.AcceptedTime));
        Assert.Equal(MlsProposalType.Remove, pending.Proposal.Type);
    }

    [Fact]
    public void Another_storage_version_or_a_pending_commit_is_refused()
    {
        byte[] other = [2, .. Seed[1..]];
        Assert.False(MlsPublicGroupState.TryDecode(other, out _, out var error));
        Assert.Equal(("version", TlsErrorKind.UnknownEnumValue), (error.Field, error.Kind));

        var withCommit = State(MlsSamples.PublicMessage([1], 3, MlsContentType.Commit, false));
        Assert.False(MlsPublicGroupState.TryDecode(withCommit, out _, out error));
        Assert.StartsWith("pending_proposals[0]", error.Field, StringComparison.Ordinal);
    }

    [Property(MaxTest = 3000)]
    public void Random_bytes_never_throw(byte[] bytes)
    {
        MlsPublicGroupState.TryDecode(bytes, out _, out _);
        MlsPublicGroupState.TryDecode([1, .. bytes], out _, out _);
    }

    [Property(MaxTest = 5000)]
    public void Damaged_states_never_throw_and_what_decodes_encodes_back(int position, byte value, bool truncate)
    {
        var bytes = (byte[])Seed.Clone();
        var at = (int)((uint)position % bytes.Length);
        bytes[at] = value;
        if (truncate)
        {
            bytes = bytes[..at];
        }

        if (MlsPublicGroupState.TryDecode(bytes, out var state, out _))
        {
            Assert.Equal(bytes, state.Encode());
        }
    }

    private static void Leaf(TlsWriter w, byte key)
    {
        w.WriteUInt8(1);
        w.WriteUInt8(1);
        MlsSamples.LeafNode(w, [key, 1], [key, 2], [key], [], MlsLeafNodeSource.KeyPackage, new byte[64]);
    }

    // A state as the storage encoding lays it out: two leaves (0 and 2, a blank between) and one pending message.
    private static byte[] State(byte[] pendingMessage) => MlsSamples.Build(w =>
    {
        w.WriteUInt8(1);
        w.WriteBytes(new MlsGroupContext(
            MlsCipherSuite.X25519Aes128GcmSha256Ed25519,
            ByteString.CopyFrom("room"u8),
            3,
            ByteString.CopyFrom(new byte[32]),
            ByteString.CopyFrom(new byte[32]),
            ValueArray.Create(new MlsExtension(0xF000, ByteString.CopyFrom([1])))).Encode());
        w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
        var tree = w.BeginVector(TlsLengthPrefix.Varint);
        Leaf(w, 1);
        w.WriteUInt8(0);
        w.WriteUInt8(0);
        w.WriteUInt8(0);
        Leaf(w, 2);
        w.EndVector(tree);
        var pending = w.BeginVector(TlsLengthPrefix.Varint);
        w.WriteOpaque(new byte[32], TlsLengthPrefix.Varint);
        w.WriteUInt64(1_700_000_000_000);
        w.WriteOpaque(pendingMessage, TlsLengthPrefix.Varint);
        w.EndVector(pending);
    });
}
