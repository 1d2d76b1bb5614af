using System.Text;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>The ts-mls peer (tests/peers/mls) behaves as real MLS clients: the end-to-end delivery tests rely on it.</summary>
public class MlsPeerTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private MlsPeer Peer => fixture.Peer;

    [Fact]
    public void Peer_runs_the_pinned_ts_mls() => Assert.Equal("1.6.4", Peer.Version);

    [Fact]
    public async Task Alice_adds_Bob_by_KeyPackage_and_they_exchange_messages()
    {
        var (alice, bob) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"));
        const string room = "mimi://alpha.test/r/clubhouse";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice-laptop");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob-phone");
        var bobKeyPackage = await Peer.KeyPackageAsync(bob);

        Assert.Equal(0UL, await Peer.CreateGroupAsync(alice, room));
        var added = await Peer.AddMemberAsync(alice, room, bobKeyPackage.KeyPackage);
        Assert.Equal(1UL, added.Epoch);
        Assert.Equal(1UL, await Peer.EpochAsync(alice, room));

        var (groupId, epoch) = await Peer.JoinAsync(bob, added.Welcome, added.RatchetTree);
        Assert.Equal((room, 1UL), (groupId, epoch));
        Assert.Equal(["mimi://alpha.test/d/alice-laptop", "mimi://beta.test/d/bob-phone"], await Peer.MembersAsync(bob, room));

        var hello = await Peer.EncryptAsync(alice, room, "Hello Bob"u8.ToArray());
        var received = await Peer.ProcessAsync(bob, hello);
        Assert.Equal("application", received.Kind);
        Assert.Equal("Hello Bob", Encoding.UTF8.GetString(received.Plaintext!));

        var reply = await Peer.EncryptAsync(bob, room, "Hi Alice"u8.ToArray());
        var answer = await Peer.ProcessAsync(alice, reply);
        Assert.Equal("application", answer.Kind);
        Assert.Equal("Hi Alice", Encoding.UTF8.GetString(answer.Plaintext!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Existing_member_processes_the_commit_that_adds_a_third(bool privateCommit)
    {
        var (alice, bob, carol) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"));
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob");
        await Peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol");
        await Peer.CreateGroupAsync(alice, room);
        var first = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(bob)).KeyPackage, privateCommit);
        await Peer.JoinAsync(bob, first.Welcome, first.RatchetTree);

        // The tree travels in the Welcome this time: Carol joins without a separate ratchet tree.
        var second = await Peer.AddMemberAsync(alice, room, (await Peer.KeyPackageAsync(carol)).KeyPackage, privateCommit, ratchetTreeInWelcome: true);
        var processed = await Peer.ProcessAsync(bob, second.Commit);
        Assert.Equal(("commit", 2UL), (processed.Kind, processed.Epoch));
        Assert.Equal((room, 2UL), await Peer.JoinAsync(carol, second.Welcome));

        var message = await Peer.EncryptAsync(carol, room, "all three"u8.ToArray());
        Assert.Equal("all three", Encoding.UTF8.GetString((await Peer.ProcessAsync(bob, message)).Plaintext!));
        Assert.Equal("all three", Encoding.UTF8.GetString((await Peer.ProcessAsync(alice, message)).Plaintext!));
        Assert.Equal(3, (await Peer.MembersAsync(alice, room)).Length);
    }

    [Fact]
    public async Task A_last_resort_KeyPackage_can_be_joined_with_more_than_once()
    {
        var (alice, bob) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"));
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob");
        var lastResort = await Peer.KeyPackageAsync(bob, lastResort: true);
        foreach (var room in new[] { "mimi://alpha.test/r/one", "mimi://alpha.test/r/two" })
        {
            await Peer.CreateGroupAsync(alice, room);
            var added = await Peer.AddMemberAsync(alice, room, lastResort.KeyPackage);
            Assert.Equal((room, 1UL), await Peer.JoinAsync(bob, added.Welcome, added.RatchetTree));
        }
    }

    [Fact]
    public async Task A_refused_request_fails_loudly_with_the_peers_reason()
    {
        var error = await Assert.ThrowsAsync<MlsPeerException>(() => Peer.EpochAsync(MlsPeerFixture.Unique("nobody"), "mimi://alpha.test/r/none"));
        Assert.Contains("no client named", error.Message, StringComparison.Ordinal);

        // The peer keeps serving after an error.
        await Peer.CreateClientAsync(MlsPeerFixture.Unique("after"), "mimi://alpha.test/d/after");
    }
}
