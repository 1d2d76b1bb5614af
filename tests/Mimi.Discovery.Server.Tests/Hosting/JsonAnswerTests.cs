using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Mimi.Discovery.Server.Tests.Delivery;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>The JSON the service writes, as grep and eyes read it: <c>+</c> as it is, never <c>\u002B</c>.</summary>
public sealed class JsonAnswerTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task Json_answers_write_plus_signs_as_they_are()
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

    [Fact]
    public async Task Regression_inbox_events_escaped_the_plus_signs_of_base64_as_u002B()
    {
        var ola = await fixture.MemberAsync(fixture.Alpha, "ola");
        var pim = await fixture.MemberAsync(fixture.Beta, "pim");
        const string room = "mimi://alpha.test/r/plus";
        await pim.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("pim")).KeyPackage]);
        var created = await fixture.Mls.CreateGroupAsync("ola", room);
        await ola.Client.CreateRoomAsync("plus", created.GroupInfo, created.RatchetTree);
        var claim = Decode(await ola.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(ola, pim.UserUri, room)));
        await ola.Client.UpdateRoomAsync(room, CommitUpdate(await fixture.Mls.AddMemberAsync("ola", room, AsMessage(claim.Clients[0].KeyPackage!))));

        // The Welcome and its ratchet tree run to well over a thousand base64 characters: '+' is all but certain in them.
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Beta.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/client/inbox/stream?after=0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await pim.Client.GetAccessTokenAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? data;
        do
        {
            data = await reader.ReadLineAsync(timeout.Token);
        }
        while (data is not null && !data.StartsWith("data: ", StringComparison.Ordinal));

        Assert.NotNull(data);
        Assert.Contains("\"kind\":\"welcome\"", data, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", data, StringComparison.OrdinalIgnoreCase);
    }
}
