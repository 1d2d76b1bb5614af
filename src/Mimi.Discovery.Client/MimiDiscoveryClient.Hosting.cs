using System.Text.Json;

namespace Mimi.Discovery.Client;

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
