using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Resolution;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>Two providers and a discovery service find and authenticate each other: DNS SRV, directory documents, enrolled keys.</summary>
public sealed class ProviderNetworkTests : IAsyncLifetime
{
    private ProviderNetwork _network = null!;

    public async Task InitializeAsync() => _network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test"]);

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task Directory_document_names_every_endpoint_on_the_providers_own_host()
    {
        var alpha = _network["alpha.test"];
        using var http = new HttpClient();
        var json = await http.GetStringAsync($"{alpha.Url}/.well-known/mimi-protocol-directory");
        using var document = JsonDocument.Parse(json);
        Assert.Equal($"http://alpha.test:{alpha.Port}/mimi/v1/keyMaterial/{{targetUser}}", document.RootElement.GetProperty("keyMaterial").GetString());
        Assert.Equal($"http://alpha.test:{alpha.Port}/mimi/v1/requestConsent/{{targetUser}}", document.RootElement.GetProperty("requestConsent").GetString());
        Assert.Equal($"http://alpha.test:{alpha.Port}/mimi/v1/groupInfo/{{roomId}}", document.RootElement.GetProperty("groupInfo").GetString());
        Assert.Equal($"http://alpha.test:{alpha.Port}/mimi/v1/roomState/{{roomId}}", document.RootElement.GetProperty("roomState").GetString());
        Assert.Equal(10, document.RootElement.EnumerateObject().Count(m => m.Value.ValueKind == JsonValueKind.String));

        // Besides the endpoints, the hub's franking keys by cipher suite (resolvers ignore the member).
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("frankingAgents").ValueKind);
        Assert.Equal(11, document.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public async Task A_provider_resolves_its_peer_through_srv_and_validates_its_directory()
    {
        var resolver = _network["beta.test"].Service!.Services.GetRequiredService<ProviderResolver>();
        var result = await resolver.GetDirectoryAsync("alpha.test");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new Uri($"http://alpha.test:{_network["alpha.test"].Port}/mimi/v1/notify/mimi%3A%2F%2Falpha.test%2Fr%2Fclub"),
            result.Directory!.Expand(MimiEndpoint.Notify, "mimi://alpha.test/r/club"));
    }

    [Fact]
    public async Task The_discovery_service_publishes_an_active_providers_keys_to_other_providers()
    {
        var keys = await _network["alpha.test"].AtDiscovery().GetProviderKeysAsync("beta.test");
        var key = Assert.Single(keys!);
        Assert.Contains(_network["beta.test"].Credentials.KeyId, key, StringComparison.Ordinal);
        Assert.Null(await _network["alpha.test"].AtDiscovery().GetProviderKeysAsync("nobody.test"));

        await _network.Discovery.Operator().SuspendProviderAsync("beta.test");
        Assert.Null(await _network["alpha.test"].AtDiscovery().GetProviderKeysAsync("beta.test"));
    }

    [Fact]
    public async Task Hosted_clients_get_tokens_with_their_registered_key_and_lose_them_when_removed()
    {
        var alpha = _network["alpha.test"];
        var (client, _) = await alpha.AddUserAsync("alice", "alice-phone");
        Assert.False(string.IsNullOrEmpty(await client.GetAccessTokenAsync()));

        // A hosted client is not a provider: provider endpoints refuse it.
        var lookup = await Assert.ThrowsAsync<MimiApiException>(() => client.LookupAsync(["tel:+15550001111"]));
        Assert.Equal(403, lookup.Status);

        var stranger = ClientCredentials.GenerateEs256("mimi://alpha.test/d/unknown");
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => alpha.As(stranger).GetAccessTokenAsync());
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task User_administration_needs_this_instances_operator_and_checks_names()
    {
        var alpha = _network["alpha.test"];
        using var http = alpha.Service!.CreateClient();
        var anonymous = await http.PostAsync("/v1/delivery/users", System.Net.Http.Json.JsonContent.Create(new { name = "eve" }));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        http.DefaultRequestHeaders.Authorization = new("Bearer", await alpha.Operator().GetAccessTokenAsync());
        var bad = await http.PostAsync("/v1/delivery/users", System.Net.Http.Json.JsonContent.Create(new { name = "a/b" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("name", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mode = await http.PostAsync("/v1/delivery/users", System.Net.Http.Json.JsonContent.Create(new { name = "eve", consentMode = "whatever" }));
        Assert.Equal(HttpStatusCode.BadRequest, mode.StatusCode);
    }
}
