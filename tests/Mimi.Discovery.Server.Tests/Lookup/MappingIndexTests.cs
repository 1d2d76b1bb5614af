using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Tests.Lookup;

/// <summary>
/// The in-memory lookup index on PostgreSQL: loaded at start-up, following changes made on another replica by
/// polling, and following this replica's own changes before they are answered.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MappingIndexTests(PostgresServer server) : IDisposable
{
    private readonly ClientCredentials _user = ClientCredentials.GenerateEs256("u");

    public void Dispose() => _user.Dispose();

    [Fact]
    public async Task Changes_made_on_one_replica_reach_the_index_of_another()
    {
        var database = await server.CreateDatabaseAsync();
        using var first = new ServiceFactory(database, new Dictionary<string, string?> { ["Lookup:IndexRefreshInterval"] = "00:00:00.200" });
        first.CreateClient();
        using var second = new ServiceFactory(database, new Dictionary<string, string?>
        {
            ["Authority:KeyDirectory"] = first.KeyDirectory,
            ["Lookup:IndexRefreshInterval"] = "00:00:00.200",
        });
        second.CreateClient();
        var (_, betaKey) = await first.EnrolAsync("beta.test", trusted: true);
        var (_, alphaKey) = await first.EnrolAsync("alpha.test");
        var betaOnFirst = first.As(betaKey);
        var betaOnSecond = second.As(betaKey);
        var alphaOnFirst = first.As(alphaKey);
        var alphaOnSecond = second.As(alphaKey);
        await Loopback.EventuallyAsync(() => alphaOnSecond.GetAccessTokenAsync());
        await Loopback.EventuallyAsync(() => betaOnSecond.GetAccessTokenAsync());

        var bob = await betaOnFirst.IssueCredentialAsync("tel:+15550500001", "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, ["mobile"], attested: true);
        var carol = await betaOnFirst.IssueCredentialAsync("tel:+15550500002", "mimi://beta.test/u/carol", _user.SubjectPublicKeyInfo, attested: true);
        var seen = await StatusEventuallyAsync(alphaOnSecond, bob.Sii, "found");
        Assert.Equal(bob.Assertion, seen.Mappings.Single().Assertion);
        Assert.Equal(bob.Serial, seen.Mappings.Single().Serial);
        Assert.Equal(["mobile"], seen.Mappings.Single().Tags);

        // Discoverability changed on the second replica, removal and revocation on the first.
        await betaOnSecond.SetDiscoverabilityAsync(bob.Serial, "nobody");
        await StatusEventuallyAsync(alphaOnFirst, bob.Sii, "none");
        await betaOnSecond.SetDiscoverabilityAsync(bob.Serial, "everyone");
        await StatusEventuallyAsync(alphaOnFirst, bob.Sii, "found");
        await betaOnFirst.RemoveMappingAsync(bob.Serial);
        await StatusEventuallyAsync(alphaOnSecond, bob.Sii, "none");
        await StatusEventuallyAsync(alphaOnSecond, carol.Sii, "found");
        await betaOnFirst.RevokeCredentialAsync(carol.Serial);
        await StatusEventuallyAsync(alphaOnSecond, carol.Sii, "none");

        // A bulk import on the first replica (COPY path: more rows than one multi-row INSERT) reaches the second.
        var key = Convert.ToBase64String(_user.SubjectPublicKeyInfo);
        var rows = Enumerable.Range(0, 300).Select(i => $$"""{"sii":"tel:+1555051{{i:D4}}","ssi":"mimi://beta.test/u/i{{i}}","publicKey":"{{key}}"}""");
        var imported = await betaOnFirst.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", rows))));
        Assert.Equal(300, imported.Imported);
        Assert.Equal("found", (await alphaOnFirst.LookupAsync(["tel:+15550510299"])).Results[0].Status); // at once where it was imported
        await StatusEventuallyAsync(alphaOnSecond, "tel:+15550510000", "found");
        Assert.All((await alphaOnSecond.LookupAsync(Enumerable.Range(0, 100).Select(i => $"tel:+1555051{i:D4}"))).Results, r => Assert.Equal("found", r.Status));
    }

    [Fact]
    public async Task A_replica_follows_its_own_changes_at_once_without_waiting_for_a_poll()
    {
        // A poll every minute: only the writer's own catch-up can explain what the next lookup sees.
        using var service = new ServiceFactory(await server.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Lookup:IndexRefreshInterval"] = "00:01:00" });
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await service.EnrolAsync("alpha.test");

        var bob = await beta.IssueCredentialAsync("tel:+15550520001", "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, attested: true);
        Assert.Equal("found", await StatusAsync(alpha, bob.Sii));
        await beta.SetDiscoverabilityAsync(bob.Serial, "nobody");
        Assert.Equal("none", await StatusAsync(alpha, bob.Sii));
        await beta.SetDiscoverabilityAsync(bob.Serial, "providers", ["alpha.test"]);
        Assert.Equal("found", await StatusAsync(alpha, bob.Sii));
        await beta.RemoveMappingAsync(bob.Serial);
        Assert.Equal("none", await StatusAsync(alpha, bob.Sii));

        var carol = await beta.IssueCredentialAsync("tel:+15550520002", "mimi://beta.test/u/carol", _user.SubjectPublicKeyInfo, attested: true);
        Assert.Equal("found", await StatusAsync(alpha, carol.Sii));
        await beta.RevokeCredentialAsync(carol.Serial);
        Assert.Equal("none", await StatusAsync(alpha, carol.Sii));
    }

    [Fact]
    public async Task Scaled_out_a_change_on_one_replica_reaches_another_through_redis_without_waiting_for_a_poll()
    {
        // A poll a minute (the longest allowed), past the ten seconds the test waits: only the announcement through Redis
        // can explain what the other replica's lookups see.
        var redis = await RedisServer.StartLocalAsync();
        try
        {
            var database = await server.CreateDatabaseAsync();
            var settings = new Dictionary<string, string?> { ["Lookup:IndexRefreshInterval"] = "00:01:00", ["Redis:Configuration"] = redis.EndPoint };
            using var first = new ServiceFactory(database, settings);
            first.CreateClient();
            using var second = new ServiceFactory(database, new Dictionary<string, string?>(settings) { ["Authority:KeyDirectory"] = first.KeyDirectory });
            second.CreateClient();
            var (beta, _) = await first.EnrolAsync("beta.test", trusted: true);
            var (_, alphaKey) = await first.EnrolAsync("alpha.test");
            var alphaOnSecond = second.As(alphaKey);
            await Loopback.EventuallyAsync(() => alphaOnSecond.GetAccessTokenAsync());

            var bob = await beta.IssueCredentialAsync("tel:+15550540001", "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, attested: true);
            await StatusEventuallyAsync(alphaOnSecond, bob.Sii, "found");
            await beta.RemoveMappingAsync(bob.Serial);
            await StatusEventuallyAsync(alphaOnSecond, bob.Sii, "none");
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_restarted_replica_reloads_the_index_and_answers_lookups_with_the_database_down()
    {
        var database = await server.CreateDatabaseAsync();
        // Keys outlive the first instance, as they do on a real restart.
        var keys = Directory.CreateTempSubdirectory("mimi-test-keys-").FullName;
        ClientCredentials alphaKey;
        Credential bob, hidden, removed;
        using (var before = new ServiceFactory(database))
        {
            var (beta, _) = await before.EnrolAsync("beta.test", trusted: true);
            (_, alphaKey) = await before.EnrolAsync("alpha.test");
            bob = await beta.IssueCredentialAsync("tel:+15550530001", "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, ["work", "mobile"], attested: true);
            hidden = await beta.IssueCredentialAsync("tel:+15550530002", "mimi://beta.test/u/h", _user.SubjectPublicKeyInfo, attested: true);
            removed = await beta.IssueCredentialAsync("tel:+15550530003", "mimi://beta.test/u/r", _user.SubjectPublicKeyInfo, attested: true);
            await beta.SetDiscoverabilityAsync(hidden.Serial, "nobody");
            await beta.RemoveMappingAsync(removed.Serial);
            foreach (var file in Directory.GetFiles(before.KeyDirectory))
            {
                File.Copy(file, Path.Combine(keys, Path.GetFileName(file)));
            }
        }

        try
        {
            await LookUpAfterRestartAsync(database, keys, alphaKey, bob, hidden, removed);
        }
        finally
        {
            alphaKey.Dispose();
            Directory.Delete(keys, recursive: true);
        }
    }

    private async Task LookUpAfterRestartAsync(string database, string keys, ClientCredentials alphaKey, Credential bob, Credential hidden, Credential removed)
    {
        using var after = new ServiceFactory(database, new Dictionary<string, string?>
        {
            ["Authority:KeyDirectory"] = keys,
            ["Lookup:IndexRefreshInterval"] = "00:01:00",
        });
        var alpha = after.As(alphaKey);
        await alpha.GetAccessTokenAsync();

        var answer = (await alpha.LookupAsync([bob.Sii, hidden.Sii, removed.Sii])).Results;
        Assert.Equal(["found", "none", "none"], answer.Select(r => r.Status));
        Assert.Equal(bob.Assertion, answer[0].Mappings.Single().Assertion);
        Assert.Equal(["work", "mobile"], answer[0].Mappings.Single().Tags);

        await server.StopAsync();
        try
        {
            // Answered from memory: the database is not on the lookup path.
            var down = (await alpha.LookupAsync([bob.Sii, "tel:+15550539999"])).Results;
            Assert.Equal(["found", "none"], down.Select(r => r.Status));
            Assert.Equal(bob.Assertion, down[0].Mappings.Single().Assertion);
        }
        finally
        {
            await server.StartAsync();
        }
    }

    [Fact]
    public async Task A_stored_token_the_index_cannot_rebuild_is_answered_exactly_as_stored()
    {
        using var service = new ServiceFactory(await server.CreateDatabaseAsync());
        await service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await service.EnrolAsync("alpha.test");
        // Not what this service's signer writes (another issuer and claims), with a serial outside the canonical form.
        const string Foreign = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJvdGhlciJ9.c2lnbmF0dXJl";
        var now = DateTimeOffset.UtcNow;
        await service.Services.GetRequiredService<LogStore>().AppendAsync([new IssueCredentialWrite("foreign"u8.ToArray(), index => new CredentialRecord(
            "00ab", "beta.test", "tel:+15550540001", "mimi://beta.test/u/f", ["x"], Attestation.Provider, [0], Foreign, now, now.AddDays(1), index, now))], default);
        await service.Services.GetRequiredService<MappingIndex>().CatchUpAsync(default);

        var found = (await alpha.LookupAsync(["tel:+15550540001"])).Results[0];

        Assert.Equal("found", found.Status);
        Assert.Equal(Foreign, found.Mappings.Single().Assertion);
        Assert.Equal("00ab", found.Mappings.Single().Serial);
    }

    private static async Task<string> StatusAsync(MimiDiscoveryClient client, string sii) => (await client.LookupAsync([sii])).Results[0].Status;

    private static Task<LookupResult> StatusEventuallyAsync(MimiDiscoveryClient client, string sii, string status) => Loopback.EventuallyAsync(async () =>
    {
        var result = (await client.LookupAsync([sii])).Results[0];
        Assert.Equal(status, result.Status);
        return result;
    });
}
