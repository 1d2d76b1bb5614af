using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Lookup.Private;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Lookup;

/// <summary>
/// An email address is one identifier whatever its letter case: sends, lookups, quotas and mappings all key by the
/// case-folded form, and rows stored before the fold are migrated to it.
/// </summary>
public sealed class EmailCaseTests : IDisposable
{
    private const string Bob = "mailto:bob@x.example";
    private readonly CodeGateway _gateway = new();
    private readonly ClientCredentials _userKey = ClientCredentials.GenerateEs256("u");
    private readonly List<ServiceFactory> _services = [];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "mimi-email-case-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        foreach (var service in _services)
        {
            service.Dispose();
        }

        _gateway.Dispose();
        _userKey.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Regression_five_case_variants_of_one_address_get_five_codes_not_twenty_five()
    {
        var service = Start(_gateway.Settings());
        var (beta, _) = await service.EnrolAsync("beta.test");
        var variants = new[] { "mailto:bob@x.example", "mailto:Bob@x.example", "mailto:BOB@X.EXAMPLE", "mailto:bOb@x.example", "mailto:boB@X.example" };

        var sent = 0;
        var refused = 0;
        foreach (var variant in variants)
        {
            for (var i = 0; i < 5; i++)
            {
                try
                {
                    await beta.CreateChallengeAsync(variant, "mimi://beta.test/u/bob");
                    sent++;
                }
                catch (MimiApiException e) when (e.Status == 429)
                {
                    refused++;
                }
            }
        }

        Assert.Equal((5, 20), (sent, refused));
        Assert.All(_gateway.Sent(), m => Assert.Equal(Bob, m.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task Regression_a_lookup_in_other_letter_case_finds_the_mapping_and_costs_one_identifier()
    {
        var service = Start(new Dictionary<string, string?> { ["Lookup:LookupsPerRequester"] = "1" });
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await service.EnrolAsync("alpha.test");
        var issued = await beta.IssueCredentialAsync("mailto:Bob@x.example", "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);

        // One identifier: the quota of one new identifier per window admits every spelling of it.
        var upper = (await alpha.LookupAsync(["mailto:Bob@X.example"])).Results[0];
        var lower = (await alpha.LookupAsync([Bob])).Results[0];
        var shouted = (await alpha.LookupAsync(["MAILTO:BOB@X.EXAMPLE"])).Results[0];

        Assert.Equal(Bob, issued.Sii);
        Assert.Equal(Bob, Claims(issued.Assertion).GetProperty("sub").GetString());
        foreach (var answer in new[] { upper, lower, shouted })
        {
            Assert.Equal((Bob, "found"), (answer.Sii, answer.Status));
            Assert.Equal(issued.Serial, Assert.Single(answer.Mappings).Serial);
        }
    }

    [Fact]
    public async Task A_new_holder_in_other_letter_case_replaces_the_older_mapping_at_the_provider()
    {
        var service = Start();
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/old-holder", _userKey.SubjectPublicKeyInfo, attested: true);
        await beta.IssueCredentialAsync("mailto:BOB@x.example", "mimi://beta.test/u/new-holder", _userKey.SubjectPublicKeyInfo, attested: true);

        var mappings = (await alpha.LookupAsync(["mailto:Bob@x.example"])).Results[0].Mappings;

        Assert.Equal("mimi://beta.test/u/new-holder", Assert.Single(mappings).Ssi);
    }

    [Fact]
    public async Task Rows_stored_before_the_fold_are_migrated_and_found_plainly_and_privately()
    {
        var settings = new Dictionary<string, string?> { ["PrivateLookup:CatchUpInterval"] = "00:00:01" };
        var first = Start(settings, _data);
        var (beta, betaKey) = await first.EnrolAsync("beta.test", trusted: true);
        var (_, alphaKey) = await first.EnrolAsync("alpha.test");
        var issued = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        await first.Services.GetRequiredService<PrivateRecordRebuilder>().CatchUpNowAsync(default);
        var database = first.DatabasePath;
        first.Dispose();
        _services.Remove(first);

        // What an earlier version stored: the local part as written, an assertion naming it, and migration 13 (mailto-case-folded) not yet applied.
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var rewind = connection.CreateCommand();
            rewind.CommandText = """
                UPDATE credentials SET sii = 'mailto:Bob@x.example', assertion = 'old.assertion.token';
                DELETE FROM schema_migrations WHERE version = 13;
                """;
            await rewind.ExecuteNonQueryAsync();
        }

        var second = Start(settings, _data);
        var alpha = second.As(alphaKey);
        await second.Services.GetRequiredService<PrivateRecordRebuilder>().CatchUpNowAsync(default);

        var plain = (await alpha.LookupAsync(["mailto:BOB@x.example"])).Results[0];
        var hidden = (await new PrivateLookupClient(second.CreateClient(), alpha).LookupAsync(["mailto:Bob@X.example"])).Results[0];
        var read = await second.As(betaKey).GetCredentialAsync(issued.Serial);

        Assert.Equal("found", plain.Status);
        Assert.Equal(Bob, Claims(Assert.Single(plain.Mappings).Assertion).GetProperty("sub").GetString());
        Assert.Equal("found", hidden.Status);
        Assert.Equal(issued.Serial, Assert.Single(hidden.Mappings).Serial);
        Assert.Equal(Bob, read.Sii);
    }

    private ServiceFactory Start(IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        var service = new ServiceFactory(settings: settings, dataDirectory: dataDirectory);
        _services.Add(service);
        return service;
    }

    private static JsonElement Claims(string assertion) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(assertion.Split('.')[1])))).RootElement;

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
