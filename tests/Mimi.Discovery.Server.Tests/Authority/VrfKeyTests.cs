using System.Net.Http.Json;
using System.Text.Json;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Authority;

/// <summary>The VRF key of the identifier index: kept in the key directory, required outside development, rotated offline with every earlier key kept.</summary>
public sealed class VrfKeyTests : IDisposable
{
    private const string Bob = "tel:+15550001111";
    private readonly string _data = Directory.CreateTempSubdirectory("mimi-vrf-keys-").FullName;
    private readonly ClientCredentials _user = ClientCredentials.GenerateEs256("u");

    public void Dispose()
    {
        _user.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_missing_vrf_key_outside_development_stops_start_up_naming_the_file()
    {
        using (var development = new ServiceFactory(dataDirectory: _data))
        {
            await development.CreateClient().GetStringAsync("/.well-known/mimi-vrf-keys.json");
        }

        var path = Path.Combine(_data, "keys", VrfKeyRing.KeyFile);
        File.Delete(path);
        var url = $"http://127.0.0.1:{LoopbackPorts.FreeTcpPort()}";
        await using var service = ServiceProcess.Start(AppContext.BaseDirectory, new Dictionary<string, string>
        {
            ["ASPNETCORE_Urls"] = url,
            ["ASPNETCORE_Storage__DataDirectory"] = _data,
            ["ASPNETCORE_Authority__Issuer"] = url,
            ["ASPNETCORE_Authority__CreateDevelopmentKeys"] = "false",
            ["ASPNETCORE_Log__Origin"] = "localhost/test-log",
        });

        Assert.NotEqual(0, await service.ExitCodeAsync());
        Assert.Contains($"'{path}' is missing", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_keeps_earlier_keys_published_and_indexes_new_entries_under_the_new_key()
    {
        Credential before;
        string first;
        using (var service = new ServiceFactory(dataDirectory: _data))
        {
            var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
            before = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, attested: true);
            first = (await IndexedLog.VrfKeysAsync(service)).Current;
        }

        var keys = Path.Combine(_data, "keys");
        var (code, output) = await Tools.RunAsync("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "mimi.dll")} keys rotate-vrf --key-dir {keys}");
        Assert.True(code == 0, output);

        using var restarted = new ServiceFactory(dataDirectory: _data);
        var document = await restarted.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/mimi-vrf-keys.json");
        var (current, published) = await IndexedLog.VrfKeysAsync(restarted);
        var (gamma, _) = await restarted.EnrolAsync("gamma.test", trusted: true);
        var after = await gamma.IssueCredentialAsync(Bob, "mimi://gamma.test/u/bob", _user.SubjectPublicKeyInfo, attested: true);
        var oldEntry = (await IndexedLog.EntryAsync(restarted, before.LogIndex)).Entry;
        var newEntry = (await IndexedLog.EntryAsync(restarted, after.LogIndex)).Entry;
        var indexes = await (await IndexedLog.BearerAsync(restarted, gamma)).PostAsJsonAsync("/v1/log/indexes", new { identifiers = new[] { Bob } });
        var given = (await indexes.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("indexes").EnumerateArray().ToList();

        Assert.NotEqual(first, current);
        Assert.Equal([current, first], document.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal((first, current), (oldEntry.VrfKeyId, newEntry.VrfKeyId));
        Assert.NotEqual(oldEntry.IdentifierIndex, newEntry.IdentifierIndex);
        Assert.Equal(oldEntry.IdentifierIndex, IndexedLog.VerifiedIndex(published[first], Bob, IndexedLog.Base64Url(IndexedLog.Claims(before.Assertion), "vrf_proof")));
        Assert.Equal([(current, Convert.ToBase64String(newEntry.IdentifierIndex!)), (first, Convert.ToBase64String(oldEntry.IdentifierIndex!))],
            given.Select(i => (i.GetProperty("vrfKey").GetString()!, i.GetProperty("identifierIndex").GetString()!)));
        foreach (var file in new[] { VrfKeyRing.KeyFile, VrfKeyRing.PreviousKeysFile })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, file)));
        }
    }
}
