using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Storage;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// A room at a provider's hub driven by ts-mls clients of a <see cref="DeliveryFixture"/>: every member reads what the
/// hub fans out from its own inbox and processes it with ts-mls, so the members' MLS states follow the hub's; and the
/// hub's and each follower's public group state can be compared with what every member's ts-mls computes.
/// </summary>
public sealed class MlsRoom
{
    private readonly DeliveryFixture _fixture;
    private readonly ProviderInstance _hub;
    private readonly List<Member> _members = [];
    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);

    private MlsRoom(DeliveryFixture fixture, ProviderInstance hub, string id)
    {
        _fixture = fixture;
        _hub = hub;
        Id = id;
    }

    public string Id { get; }

    public IReadOnlyList<Member> Members => _members;

    private MlsPeer Mls => _fixture.Mls;

    /// <summary><paramref name="creator"/>'s ts-mls client creates the group and the room at its provider's hub.</summary>
    public static async Task<MlsRoom> CreateAsync(DeliveryFixture fixture, Member creator, string name)
    {
        var room = new MlsRoom(fixture, creator.Provider, $"mimi://{creator.Provider.Domain}/r/{name}");
        var created = await fixture.Mls.CreateGroupAsync(creator.Name, room.Id);
        Assert.Equal(room.Id, (await creator.Client.CreateRoomAsync(name, created.GroupInfo, created.RatchetTree)).Room);
        await room.JoinedAsync(creator);
        return room;
    }

    /// <summary>Each target uploads a fresh KeyPackage and <paramref name="requester"/> claims it for the room (the claim routes the Welcome).</summary>
    public async Task<List<byte[]>> ClaimAsync(Member requester, params Member[] targets)
    {
        var claimed = new List<byte[]>();
        foreach (var target in targets)
        {
            await target.Client.UploadKeyPackagesAsync([(await Mls.KeyPackageAsync(target.Name)).KeyPackage]);
            var claim = Decode(await requester.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(requester, target.UserUri, Id)));
            Assert.Equal(KeyMaterialUserCode.Success, claim.UserStatus);
            claimed.Add(AsMessage(Assert.Single(claim.Clients, c => c.ClientUri == target.ClientUri).KeyPackage!));
        }

        return claimed;
    }

    /// <summary>Sends an UpdateRequest through <paramref name="sender"/>'s provider.</summary>
    public async Task<UpdateRoomResponse> SendAsync(Member sender, byte[] update) => DecodeUpdate(await sender.Client.UpdateRoomAsync(Id, update));

    /// <summary>
    /// Sends a commit the hub must accept; every other member processes it, and each of <paramref name="joined"/> joins
    /// from the Welcome its inbox got.
    /// </summary>
    public async Task CommitAsync(Member committer, MlsPeerCommit commit, params Member[] joined)
    {
        var answer = await SendAsync(committer, CommitUpdate(commit));
        Assert.True(answer.ResponseCode == UpdateResponseCode.Success, $"{answer.ResponseCode}: {answer.ErrorDescription}");
        await CatchUpAsync(committer);
        foreach (var member in joined)
        {
            var welcome = Assert.Single(await InboxAsync(member.Client, 1, _cursors.GetValueOrDefault(member.Name)));
            Assert.Equal("welcome", welcome.Kind);
            Assert.Equal((Id, commit.Epoch), await Mls.JoinAsync(member.Name, welcome.MessageBytes, welcome.RatchetTreeBytes));
            await JoinedAsync(member, welcome.Seq);
        }
    }

    /// <summary>Sends a standalone proposal the hub must accept; every other member processes it. Returns the hub's accepted timestamp.</summary>
    public async Task<ulong> ProposeAsync(Member proposer, MlsPeerProposal proposal)
    {
        Assert.True(MlsMessage.TryDecode(proposal.Message, out var message, out _));
        var answer = await SendAsync(proposer, new UpdateRequest(HandshakeBundle.ForProposals(message, default)).Encode());
        Assert.True(answer.ResponseCode == UpdateResponseCode.Success, $"{answer.ResponseCode}: {answer.ErrorDescription}");
        await CatchUpAsync(proposer);
        return answer.AcceptedTimestamp;
    }

    /// <summary><paramref name="committer"/> removes <paramref name="removed"/>, which gets the commit (its removal) and is no longer followed here.</summary>
    public async Task RemoveAsync(Member committer, Member removed)
    {
        var commit = await Mls.RemoveMemberAsync(committer.Name, Id, removed.ClientUri);
        _members.Remove(removed);
        await CommitAsync(committer, commit);
        var removal = Assert.Single(await InboxAsync(removed.Client, 1, _cursors[removed.Name]));
        Assert.Equal("handshake", removal.Kind);
        _cursors[removed.Name] = removal.Seq;
    }

    /// <summary>Every member but <paramref name="sender"/> reads the next item of its inbox and processes it with ts-mls.</summary>
    public async Task CatchUpAsync(Member sender)
    {
        foreach (var member in _members.Where(m => m != sender))
        {
            var item = Assert.Single(await InboxAsync(member.Client, 1, _cursors[member.Name]));
            _cursors[member.Name] = item.Seq;
            await Mls.ProcessAsync(member.Name, item.MessageBytes);
        }
    }

    /// <summary>A member that joined outside <see cref="CommitAsync"/> (an external commit): its inbox is read from after <paramref name="after"/>.</summary>
    public async Task JoinedAsync(Member member, long? after = null)
    {
        _members.Add(member);
        _cursors[member.Name] = after ?? (await member.Client.ReadInboxAsync()).Last;
    }

    /// <summary>The inbox position of a member (or former member) after the items processed so far.</summary>
    public long Cursor(Member member) => _cursors[member.Name];

    /// <summary>The public group state the hub stored with the room.</summary>
    public async Task<MlsPublicGroupState> HubStateAsync()
    {
        var room = await _hub.Service!.Services.GetRequiredService<RoomStore>().FindRoomAsync(Id, default);
        Assert.True(MlsPublicGroupState.TryDecode(room!.State, out var state, out var error), error.Message);
        return state;
    }

    /// <summary>The public group state <paramref name="follower"/> keeps for the room once it reached <paramref name="epoch"/> (notifies are asynchronous).</summary>
    public async Task<MlsPublicGroupState> FollowerStateAsync(ProviderInstance follower, ulong epoch)
    {
        var store = follower.Service!.Services.GetRequiredService<RoomStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await store.FindFollowedRoomAsync(Id, default) is { } followed)
            {
                Assert.True(MlsPublicGroupState.TryDecode(followed.State, out var state, out var error), error.Message);
                if (state.Context.Epoch >= epoch || DateTime.UtcNow > deadline)
                {
                    return state;
                }
            }
            else
            {
                Assert.True(DateTime.UtcNow < deadline, $"{follower.Domain} keeps no state of {Id}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// After every commit: the hub's epoch, tree hash (computed by the hub from its own tree), confirmed transcript hash
    /// and members equal what each member's ts-mls reports, and so do the members of every follower hosting a member.
    /// </summary>
    public async Task AssertAgreesAsync()
    {
        var hub = await HubStateAsync();
        var suite = hub.Context.CipherSuite;
        var hubView = (hub.Context.Epoch, Convert.ToHexString(hub.Tree.TreeHash(suite).Span), Convert.ToHexString(hub.Context.ConfirmedTranscriptHash.Span));
        Assert.Equal(Convert.ToHexString(hub.Context.TreeHash.Span), hubView.Item2);
        string[]? members = null;
        foreach (var member in _members)
        {
            var state = await Mls.GroupStateAsync(member.Name, Id);
            Assert.Equal((state.Epoch, Convert.ToHexString(state.TreeHash), Convert.ToHexString(state.ConfirmedTranscriptHash)), hubView);
            Assert.Equal(state.Members, Identities(hub));
            members ??= [.. state.Members];
        }

        foreach (var follower in _members.Select(m => m.Provider).Where(p => p != _hub).Distinct())
        {
            var state = await FollowerStateAsync(follower, hub.Context.Epoch);
            Assert.Equal(hub.Context.Epoch, state.Context.Epoch);
            Assert.Equal(members, Identities(state));
            Assert.Equal(hubView.Item2, Convert.ToHexString(state.Tree.TreeHash(suite).Span));
        }
    }

    /// <summary>The credential identities of a state's members, in leaf order (as ts-mls lists them).</summary>
    public static string[] Identities(MlsPublicGroupState state) => [.. state.Members.Select(m => m.Node.Credential.BasicIdentity ?? "")];
}
