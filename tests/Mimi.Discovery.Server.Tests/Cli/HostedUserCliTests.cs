using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary><c>mimi user …</c> and <c>mimi outbox</c> against a provider instance, as its operator runs them.</summary>
public sealed class HostedUserCliTests : IAsyncLifetime
{
    private ProviderNetwork _network = null!;

    public async Task InitializeAsync() => _network = await ProviderNetwork.StartAsync(["alpha.test"]);

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task The_operator_adds_a_user_and_a_client_that_then_authenticates_and_lists_and_removes_them()
    {
        var alpha = _network["alpha.test"];
        using var key = ClientCredentials.GenerateEs256("mimi://alpha.test/d/carol-phone");
        var jwk = Path.Combine(alpha.DataDirectory, "carol.jwk");
        await File.WriteAllTextAsync(jwk, key.PublicJwk);

        await MimiAsync(alpha, "user add carol --consent-mode open");
        var added = await MimiAsync(alpha, $"user add-client carol carol-phone --jwk {jwk}");
        Assert.Contains("mimi://alpha.test/d/carol-phone", added, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(await alpha.As(key).GetAccessTokenAsync()));

        var list = await MimiAsync(alpha, "user list");
        Assert.Contains("mimi://alpha.test/u/carol", list, StringComparison.Ordinal);
        Assert.Contains("open", list, StringComparison.Ordinal);
        Assert.Contains("pending 0", await MimiAsync(alpha, "outbox"), StringComparison.Ordinal);

        await MimiAsync(alpha, "user remove-client carol-phone");
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => alpha.As(ClientCredentials.GenerateEs256("mimi://alpha.test/d/carol-phone")).GetAccessTokenAsync());
        Assert.Equal(401, refused.Status);
        var duplicate = await MimiAsync(alpha, "user add carol", expectedExitCode: 1);
        Assert.Contains("exists already", duplicate, StringComparison.Ordinal);
    }

    private static async Task<string> MimiAsync(ProviderInstance instance, string arguments, int expectedExitCode = 0)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "mimi.dll");
        var (code, output) = await Tools.RunAsync("dotnet",
            $"{cli} {arguments} --server {instance.Url} --client-id operator --key {instance.Service!.KeyDirectory}/operator.key", instance.DataDirectory);
        Assert.True(code == expectedExitCode, $"mimi {arguments} exited {code}:\n{output}");
        return output;
    }
}
