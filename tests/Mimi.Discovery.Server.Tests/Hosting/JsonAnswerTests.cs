using System.Net.Http.Json;
using System.Security.Cryptography;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>The JSON the service answers with, as grep and eyes read it.</summary>
public sealed class JsonAnswerTests
{
    [Fact]
    public async Task Regression_json_answers_escaped_plus_as_u002B()
    {
        using var service = new ServiceFactory();
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        using var bob = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await beta.IssueCredentialAsync("tel:+15550001111", "mimi://beta.test/u/bob", bob.ExportSubjectPublicKeyInfo(), attested: true);
        var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await beta.GetAccessTokenAsync());

        var lookup = await (await http.PostAsJsonAsync("/v1/lookup", new { identifiers = new[] { "tel:+15550001111" } })).Content.ReadAsStringAsync();
        var problem = await (await http.PostAsJsonAsync("/v1/lookup", new { identifiers = new[] { "tel:+1555abc" } })).Content.ReadAsStringAsync();

        Assert.Contains("\"sii\":\"tel:+15550001111\"", lookup, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", lookup + problem, StringComparison.OrdinalIgnoreCase);
    }
}
