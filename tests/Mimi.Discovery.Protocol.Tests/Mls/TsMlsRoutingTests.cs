using System.Text;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>What a hub routes and orders on, read from messages a real client (ts-mls) made.</summary>
public class TsMlsRoutingTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private MlsPeer Peer => fixture.Peer;

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task Group_epoch_and_content_type_are_read_from_ts_mls_messages(MlsCipherSuite suite)
    {
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        var groupId = Encoding.UTF8.GetBytes(room);
        var (alice, bob, carol) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"));
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice", suite);
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob", suite);
        await Peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol", suite);
        await Peer.CreateGroupAsync(alice, room);
        var bobKeyPackage = await Peer.KeyPackageAsync(bob);

        var first = await Peer.AddMemberAsync(alice, room, bobKeyPackage.KeyPackage);
        var commit = MlsSamples.ParseMessage(first.Commit);
        Assert.Equal(MlsWireFormat.PublicMessage, commit.WireFormat);
        Assert.Equal(groupId, commit.GroupId.ToArray());
        Assert.Equal(0UL, commit.Epoch); // a commit is sent in the epoch it ends
        Assert.Equal(MlsContentType.Commit, commit.ContentType);
        Assert.Equal((MlsSenderType.Member, 0U), (commit.SenderType, commit.SenderIndex));

        var welcome = MlsSamples.ParseMessage(first.Welcome);
        Assert.Equal(MlsWireFormat.Welcome, welcome.WireFormat);
        Assert.Equal([ByteStringOf(bobKeyPackage.KeyPackageRef)], welcome.Welcome!.Secrets.Select(s => s.NewMember));

        var groupInfo = MlsSamples.ParseMessage(first.GroupInfo);
        Assert.Equal((MlsWireFormat.GroupInfo, 1UL), (groupInfo.WireFormat, groupInfo.Epoch));
        Assert.Equal(groupId, groupInfo.GroupId.ToArray());
        Assert.Contains(groupInfo.GroupInfo!.Extensions, e => e.ExtensionType == MlsExtensionTypes.ExternalPub);

        await Peer.JoinAsync(bob, first.Welcome, first.RatchetTree);
        var application = MlsSamples.ParseMessage(await Peer.EncryptAsync(bob, room, "hi"u8.ToArray()));
        Assert.Equal(MlsWireFormat.PrivateMessage, application.WireFormat);
        Assert.Equal(groupId, application.GroupId.ToArray());
        Assert.Equal((1UL, MlsContentType.Application), (application.Epoch, application.ContentType));
        Assert.Null(application.SenderType); // encrypted in a PrivateMessage

        var second = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(carol)).KeyPackage, privateCommit: true);
        var privateCommit = MlsSamples.ParseMessage(second.Commit);
        Assert.Equal(MlsWireFormat.PrivateMessage, privateCommit.WireFormat);
        Assert.Equal((1UL, MlsContentType.Commit), (privateCommit.Epoch, privateCommit.ContentType));
    }

    [Fact]
    public async Task A_ts_mls_KeyPackage_decodes_with_GREASE_in_its_capabilities()
    {
        // ts-mls adds each GREASE value with probability 0.1: over 20 KeyPackages one shows up almost surely.
        var name = MlsPeerFixture.Unique("bob");
        await Peer.CreateClientAsync(name, "mimi://beta.test/d/bob");
        var greaseSeen = false;
        for (var i = 0; i < 20; i++)
        {
            var keyPackage = MlsSamples.ParseMessage((await Peer.KeyPackageAsync(name)).KeyPackage).KeyPackage!;
            var capabilities = keyPackage.LeafNode.Capabilities;
            greaseSeen |= capabilities.CipherSuites.Concat(capabilities.Extensions).Concat(capabilities.Proposals).Concat(capabilities.Credentials).Any(MlsExtensionTypes.IsGrease);
            Assert.True(new KeyPackageValidator().Validate(keyPackage).IsValid);
        }

        Assert.True(greaseSeen);
    }

    private static ByteString ByteStringOf(byte[] bytes) => ByteString.CopyFrom(bytes);
}
