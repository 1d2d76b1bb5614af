using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls.Group;

/// <summary>
/// A live ts-mls group beside the public state the hub would keep of it: Alice creates it, Bob joins. Forged commits are
/// built in C# and signed by a member's real key in the peer.
/// </summary>
internal sealed class MlsGroupScene
{
    private MlsGroupScene(MlsPeer peer, string room, string alice, string bob, string carol, MlsPublicGroupState state, byte[] lastTree)
    {
        Peer = peer;
        Room = room;
        Alice = alice;
        Bob = bob;
        Carol = carol;
        State = state;
        LastTree = lastTree;
    }

    public MlsPeer Peer { get; }

    public string Room { get; }

    public string Alice { get; }

    public string Bob { get; }

    public string Carol { get; }

    /// <summary>The state after Bob's Add (epoch 1).</summary>
    public MlsPublicGroupState State { get; private set; }

    /// <summary>The ratchet tree contents of the current epoch, as ts-mls sent them.</summary>
    public byte[] LastTree { get; private set; }

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public static async Task<MlsGroupScene> StartAsync(MlsPeer peer, MlsCipherSuite suite = MlsCipherSuite.X25519Aes128GcmSha256Ed25519)
    {
        var (alice, bob, carol) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"));
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice", suite);
        await peer.CreateClientAsync(bob, "mimi://beta.test/d/bob", suite);
        await peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol", suite);
        var created = await peer.CreateGroupAsync(alice, room);
        Assert.True(MlsPublicGroupState.TryCreate(GroupInfo(created.GroupInfo), TreeContents(created.RatchetTree), Now, out var state, out var refusal), refusal.ToString());
        var scene = new MlsGroupScene(peer, room, alice, bob, carol, state, TreeContents(created.RatchetTree));
        var added = await peer.AddMemberAsync(alice, room, (await peer.KeyPackageAsync(bob)).KeyPackage);
        await peer.JoinAsync(bob, added.Welcome, added.RatchetTree);
        scene.Apply(added);
        return scene;
    }

    public static MlsGroupInfo GroupInfo(byte[] message)
    {
        Assert.True(MlsMessage.TryDecode(message, out var decoded, out var error), error.Message);
        return decoded.GroupInfo!;
    }

    public static MlsMessage Message(byte[] message)
    {
        Assert.True(MlsMessage.TryDecode(message, out var decoded, out var error), error.Message);
        return decoded;
    }

    public static byte[] TreeContents(byte[] ratchetTree)
    {
        Assert.True(MlsRatchetTree.TryReadExtensionData(ratchetTree, out var contents, out var error), error.Message);
        return contents.ToArray();
    }

    public static MlsCommitAttachments Attachments(MlsPeerCommit commit) => new(GroupInfo(commit.GroupInfo), TreeContents(commit.RatchetTree));

    public static ByteString Changed(ByteString value, int at = -1)
    {
        var bytes = value.ToArray();
        bytes[at < 0 ? bytes.Length + at : at] ^= 0x01;
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>Applies an honest commit with its attachments; it must be accepted.</summary>
    public MlsPublicGroupState Apply(MlsPeerCommit commit)
    {
        Assert.True(State.TryApplyCommit(Message(commit.Commit), Attachments(commit), Now, out var next, out var refusal), refusal.ToString());
        State = next;
        LastTree = TreeContents(commit.RatchetTree);
        return next;
    }

    /// <summary>Takes a state applied outside the scene (with its proposals) as the current one.</summary>
    public void Adopt(MlsPublicGroupState state, MlsPeerCommit commit)
    {
        State = state;
        LastTree = TreeContents(commit.RatchetTree);
    }

    /// <summary>A commit of the current epoch from <paramref name="sender"/>, signed in the peer by <paramref name="signer"/>'s key.</summary>
    public async Task<MlsMessage> CommitAsync(string signer, MlsSender sender, MlsCommit commit, MlsPublicGroupState? state = null)
    {
        state ??= State;
        var content = MlsFramedContent.ForCommit(state.Context.GroupId, state.Context.Epoch, sender, default, commit);
        var signature = await Peer.SignWithLabelAsync(signer, "FramedContentTBS", MlsPublicMessage.SignatureContent(content, state.Context));
        var tag = ByteString.CopyFrom(new byte[32]);
        return MlsPublicMessage.Create(content, ByteString.CopyFrom(signature), tag, sender.Type == MlsSenderType.Member ? tag : null).ToMessage();
    }

    /// <summary>A commit of the current epoch by Alice (leaf 0) carrying <paramref name="proposals"/> inline.</summary>
    public Task<MlsMessage> AliceCommitsAsync(params MlsProposal[] proposals) =>
        CommitAsync(Alice, MlsSender.Member(0), new MlsCommit(ValueArray.From(proposals.Select(MlsProposalOrRef.Inline)), null));
}
