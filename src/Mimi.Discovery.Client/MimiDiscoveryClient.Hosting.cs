using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

/// <summary>A user hosted by a provider instance, with its consent mode (open, quarantine, consent-required).</summary>
public sealed record HostedUserInfo(string User, string ConsentMode, DateTimeOffset CreatedAt);

/// <summary>A hosted user's client: its MIMI client URI (the client id it authenticates with) and key id.</summary>
public sealed record HostedClientInfo(string Client, string User, string Kid);

/// <summary>A provider-to-provider delivery the outbox gave up on.</summary>
public sealed record FailedDelivery(string MessageId, string Destination, string Endpoint, string Target, int Attempts, DateTimeOffset CreatedAt, string? LastError);

/// <summary>The outbox as the instance's operator sees it.</summary>
public sealed record OutboxStatus(long Pending, long Failed, long? OldestPendingSeconds, FailedDelivery[] RecentFailures);

/// <summary>
/// A provider instance's administration of its hosted users and clients (<c>/v1/delivery</c>; the instance's operator).
/// </summary>
public sealed partial class MimiDiscoveryClient
{
    /// <summary>Creates a hosted user <c>mimi://domain/u/{name}</c>.</summary>
    public Task<HostedUserInfo> CreateHostedUserAsync(string name, string consentMode = "consent-required", CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/delivery/users", new HostedUserBody(name, consentMode), HostingClientJson.Default.HostedUserBody,
            HostingClientJson.Default.HostedUserInfo, ct);

    /// <summary>Every hosted user.</summary>
    public Task<HostedUserInfo[]> ListHostedUsersAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/delivery/users", HostingClientJson.Default.HostedUserInfoArray, ct);

    /// <summary>Deletes a hosted user and its clients.</summary>
    public async Task DeleteHostedUserAsync(string name, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, $"/v1/delivery/users/{Uri.EscapeDataString(name)}", null, true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>Registers client <c>mimi://domain/d/{client}</c> of hosted user <paramref name="user"/> with its public JWK.</summary>
    public Task<HostedClientInfo> AddHostedClientAsync(string user, string client, string publicJwk, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/v1/delivery/users/{Uri.EscapeDataString(user)}/clients",
            new HostedClientBody(client, JsonDocument.Parse(publicJwk).RootElement.Clone()), HostingClientJson.Default.HostedClientBody,
            HostingClientJson.Default.HostedClientInfo, ct);

    /// <summary>Removes a client; its tokens stop working at once.</summary>
    public async Task RemoveHostedClientAsync(string client, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, $"/v1/delivery/clients/{Uri.EscapeDataString(client)}", null, true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>Pending and failed provider-to-provider deliveries.</summary>
    public Task<OutboxStatus> GetOutboxAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/delivery/outbox", HostingClientJson.Default.OutboxStatus, ct);
}

internal sealed record HostedUserBody(string Name, string ConsentMode);

internal sealed record HostedClientBody(string Name, JsonElement Jwk);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostedUserBody))]
[JsonSerializable(typeof(HostedClientBody))]
[JsonSerializable(typeof(HostedUserInfo))]
[JsonSerializable(typeof(HostedUserInfo[]))]
[JsonSerializable(typeof(HostedClientInfo))]
[JsonSerializable(typeof(OutboxStatus))]
internal sealed partial class HostingClientJson : JsonSerializerContext;
