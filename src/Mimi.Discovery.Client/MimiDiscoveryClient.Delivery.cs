using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;

namespace Mimi.Discovery.Client;

/// <summary>The hosted-client delivery API (<c>/v1/client/…</c>): KeyPackages, key material claims, rooms, messages, inbox.</summary>
public sealed partial class MimiDiscoveryClient
{
    private const string OctetStream = "application/octet-stream";

    /// <summary>Uploads KeyPackages (TLS-encoded MLSMessages); returns how many were new.</summary>
    public async Task<int> UploadKeyPackagesAsync(IEnumerable<byte[]> keyPackages, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Post, "/v1/client/keypackages", new KeyPackageUploadBody([.. keyPackages.Select(Convert.ToBase64String)]),
            DeliveryClientJson.Default.KeyPackageUploadBody, DeliveryClientJson.Default.KeyPackageUploadAnswer, ct)).Added;

    /// <summary>This client's unclaimed, unexpired KeyPackages.</summary>
    public Task<KeyPackageCounts> GetKeyPackageCountsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/client/keypackages", DeliveryClientJson.Default.KeyPackageCounts, ct);

    /// <summary>Claims a user's KeyPackages: sends a TLS KeyMaterialRequest, returns the TLS KeyMaterialResponse.</summary>
    public Task<byte[]> ClaimKeyMaterialAsync(byte[] keyMaterialRequest, CancellationToken ct = default) =>
        PostBytesAsync("/v1/client/keyMaterial", keyMaterialRequest, ct);

    /// <summary>
    /// Creates a room hosted by this client's provider for the MLS group this client created: its GroupInfo
    /// (<paramref name="groupInfo"/>, a TLS MLSMessage) and ratchet tree (<paramref name="ratchetTree"/>, the
    /// <c>ratchet_tree</c> extension data), from which the hub starts the room's public group state.
    /// </summary>
    public Task<RoomInfo> CreateRoomAsync(string name, byte[] groupInfo, byte[] ratchetTree, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/client/rooms", new CreateRoomBody(name, Convert.ToBase64String(groupInfo), Convert.ToBase64String(ratchetTree)),
            DeliveryClientJson.Default.CreateRoomBody, DeliveryClientJson.Default.RoomInfo, ct);

    /// <summary>
    /// The latest GroupInfo and ratchet tree of a room: at the room's hub, the committer's GroupInfo and the hub's tree;
    /// at a follower (a room hosted elsewhere), the epoch and tree of the state the follower verified, without a GroupInfo.
    /// A client removed from the room gets a 403.
    /// </summary>
    public Task<RoomGroupInfo> GetRoomGroupInfoAsync(string room, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/v1/client/rooms/{Uri.EscapeDataString(room)}/groupInfo", DeliveryClientJson.Default.RoomGroupInfo, ct);

    /// <summary>Sends a TLS UpdateRequest to the room's hub; returns the TLS UpdateRoomResponse.</summary>
    public Task<byte[]> UpdateRoomAsync(string room, byte[] updateRequest, CancellationToken ct = default) =>
        PostBytesAsync($"/v1/client/rooms/{Uri.EscapeDataString(room)}/update", updateRequest, ct);

    /// <summary>
    /// For an external join: sends a signed TLS GroupInfoRequest to the room's hub through this provider; returns the
    /// TLS GroupInfoResponse (see <see cref="DeliveryMessages.OpenGroupInfo"/>). This client's user must already take part in the room.
    /// </summary>
    public Task<byte[]> RequestGroupInfoAsync(string room, byte[] groupInfoRequest, CancellationToken ct = default) =>
        PostBytesAsync($"/v1/client/rooms/{Uri.EscapeDataString(room)}/groupInfo", groupInfoRequest, ct);

    /// <summary>Sends an application message (TLS MLSMessage) to the room's hub; returns the TLS SubmitMessageResponse.</summary>
    public Task<byte[]> SubmitMessageAsync(string room, byte[] message, CancellationToken ct = default) =>
        PostBytesAsync($"/v1/client/rooms/{Uri.EscapeDataString(room)}/messages", message, ct);

    /// <summary>Inbox items after <paramref name="after"/>, waiting up to <paramref name="wait"/> when there are none yet.</summary>
    public Task<InboxPage> ReadInboxAsync(long after = 0, TimeSpan? wait = null, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, FormattableString.Invariant($"/v1/client/inbox?after={after}&wait={(wait ?? TimeSpan.Zero).TotalSeconds}"),
            DeliveryClientJson.Default.InboxPage, ct);

    /// <summary>Reads the inbox as server-sent events until <paramref name="ct"/> is cancelled, yielding each item once.</summary>
    public async IAsyncEnumerable<InboxItem> StreamInboxAsync(long after = 0, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, FormattableString.Invariant($"/v1/client/inbox/stream?after={after}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await GetAccessTokenAsync(ct));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureAsync(response, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var events = SseParser.Create(stream, (_, data) => System.Text.Json.JsonSerializer.Deserialize(data, DeliveryClientJson.Default.InboxItem));
        await foreach (var item in events.EnumerateAsync(ct))
        {
            yield return item.Data ?? throw new MimiApiException((int)response.StatusCode, null);
        }
    }

    /// <summary>Deletes inbox items up to and including <paramref name="upTo"/>; returns how many.</summary>
    public async Task<int> AckInboxAsync(long upTo, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Post, "/v1/client/inbox/ack", new AckBody(upTo), DeliveryClientJson.Default.AckBody, DeliveryClientJson.Default.AckAnswer, ct)).Deleted;

    /// <summary>Whether this client's user is found by other providers' identifier queries.</summary>
    public async Task SetDiscoverableAsync(bool discoverable, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Put, "/v1/client/discoverability",
            JsonContent.Create(new DiscoverableBody(discoverable), DeliveryClientJson.Default.DiscoverableBody), true, ct);
        await EnsureAsync(response, ct);
    }

    private async Task<byte[]> PostBytesAsync(string path, byte[] body, CancellationToken ct)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        using var response = await SendRawAsync(HttpMethod.Post, path, content, true, ct);
        return await ReadBytesAsync(response, ct);
    }
}
