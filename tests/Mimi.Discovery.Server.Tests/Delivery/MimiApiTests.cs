using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Peers;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>The provider-to-provider endpoints seen from another provider: identifierQuery and the owner's claim quota.</summary>
public sealed class MimiApiTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task IdentifierQuery_answers_unknown_and_hidden_users_alike_and_finds_discoverable_ones()
    {
        var shown = await fixture.MemberAsync(fixture.Beta, "shown");
        var hidden = await fixture.MemberAsync(fixture.Beta, "hidden");
        await shown.Client.SetDiscoverableAsync(true);

        var byHandle = await QueryAsync(new QueryElement(SearchIdentifierType.Handle, null, shown.UserUri));
        Assert.Equal(IdentifierQueryCode.Success, byHandle.Decoded.ResponseCode);
        Assert.Equal([shown.UserUri], byHandle.Decoded.Uris);
        var byNick = await QueryAsync(new QueryElement(SearchIdentifierType.Nick, null, "shown"));
        Assert.Equal([shown.UserUri], byNick.Decoded.Uris);
        var byImHandle = await QueryAsync(new QueryElement(SearchIdentifierType.Handle, null, "im:shown@beta.test"));
        Assert.Equal([shown.UserUri], byImHandle.Decoded.Uris);

        // Users are hidden until they opt in; a hidden user and one that does not exist give the same bytes.
        var unknown = await QueryAsync(new QueryElement(SearchIdentifierType.Nick, null, "nobody-here"));
        var notShown = await QueryAsync(new QueryElement(SearchIdentifierType.Nick, null, "hidden"));
        var notShownByHandle = await QueryAsync(new QueryElement(SearchIdentifierType.Handle, null, hidden.UserUri));
        Assert.Equal(IdentifierQueryCode.NotFound, unknown.Decoded.ResponseCode);
        Assert.Empty(unknown.Decoded.Uris);
        Assert.Equal(unknown.Body, notShown.Body);
        Assert.Equal(unknown.Body, notShownByHandle.Body);

        // Discoverability is what decides: the hidden user opts in and is found, the shown one opts out and is not.
        await hidden.Client.SetDiscoverableAsync(true);
        await shown.Client.SetDiscoverableAsync(false);
        Assert.Equal([hidden.UserUri], (await QueryAsync(new QueryElement(SearchIdentifierType.Nick, null, "hidden"))).Decoded.Uris);
        Assert.Equal(unknown.Body, (await QueryAsync(new QueryElement(SearchIdentifierType.Nick, null, "shown"))).Body);
    }

    [Fact]
    public async Task Over_the_owners_claim_quota_a_claim_is_refused_with_429_Retry_After_and_RateLimit_headers_and_claims_nothing()
    {
        var own = await DeliveryFixture.StartAsync(null, new Dictionary<string, string?> { ["Delivery:KeyPackageClaims:PerRequester"] = "2" });
        try
        {
            var ann = await own.MemberAsync(own.Alpha, "ann");
            var bea = await own.MemberAsync(own.Beta, "bea");
            var cat = await own.MemberAsync(own.Beta, "cat");
            var lastResort = await own.Mls.KeyPackageAsync("cat", lastResort: true);
            await cat.Client.UploadKeyPackagesAsync([lastResort.KeyPackage, .. await KeyPackagesAsync(own, "cat", 3)]);

            // A local claim at beta counts against beta's own requester bucket: two pass, the third is refused.
            using var http = own.Beta.Service!.CreateClient();
            var token = await bea.Client.GetAccessTokenAsync();
            for (var i = 0; i < 2; i++)
            {
                using var ok = await ClaimAsync(http, token, await KeyMaterialRequestAsync(bea, cat.UserUri));
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
                Assert.Equal($"\"kp-claims\";r={1 - i}", RateLimitRemaining(ok));
                Assert.Contains("\"kp-claims\";q=2;w=3600", ok.Headers.GetValues("RateLimit-Policy"));
            }

            using var refused = await ClaimAsync(http, token, await KeyMaterialRequestAsync(bea, cat.UserUri));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value.TotalSeconds, 1, 3600);
            Assert.Equal("\"kp-claims\";r=0", RateLimitRemaining(refused));
            Assert.Contains("\"kp-claims\";q=2;w=3600", refused.Headers.GetValues("RateLimit-Policy"));
            using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
            {
                Assert.Equal("urn:mimi-discovery:problem:rate-limited", problem.RootElement.GetProperty("type").GetString());
                Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Equal((long)retryAfter.Value.TotalSeconds, problem.RootElement.GetProperty("retryAfterSeconds").GetInt64());
            }

            // The refused claim took nothing: two single-use KeyPackages went to the two allowed claims.
            Assert.Equal(new KeyPackageCounts(1, 1), await cat.Client.GetKeyPackageCountsAsync());

            // alpha has its own bucket at beta; the signed keyMaterial call is refused with 429 and Retry-After on its third claim.
            var peers = own.Alpha.Service!.Services.GetRequiredService<PeerClient>();
            var body = await KeyMaterialRequestAsync(ann, cat.UserUri);
            Assert.Equal(200, (await peers.SendAsync("beta.test", MimiEndpoint.KeyMaterial, cat.UserUri, body, null, default)).Status);
            Assert.Equal(200, (await peers.SendAsync("beta.test", MimiEndpoint.KeyMaterial, cat.UserUri, body, null, default)).Status);
            var overQuota = await peers.SendAsync("beta.test", MimiEndpoint.KeyMaterial, cat.UserUri, body, null, default);
            Assert.Equal(429, overQuota.Status);
            Assert.NotNull(overQuota.RetryAfter);

            // Through alpha's client API the refusal reaches ann as 429 with Retry-After, not as a failed peer.
            using var viaAlpha = own.Alpha.Service!.CreateClient();
            using var forwarded = await ClaimAsync(viaAlpha, await ann.Client.GetAccessTokenAsync(), body);
            Assert.Equal(HttpStatusCode.TooManyRequests, forwarded.StatusCode);
            Assert.NotNull(forwarded.Headers.RetryAfter?.Delta);
            Assert.Equal(new KeyPackageCounts(0, 1), await cat.Client.GetKeyPackageCountsAsync());
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private async Task<(byte[] Body, IdentifierResponse Decoded)> QueryAsync(QueryElement element)
    {
        var peers = fixture.Alpha.Service!.Services.GetRequiredService<PeerClient>();
        var request = new IdentifierRequest(ValueArray.Create(element), AppDataDictionary.Empty).Encode();
        var response = await peers.SendAsync("beta.test", MimiEndpoint.IdentifierQuery, "beta.test", request, null, default);
        Assert.Equal(200, response.Status);
        Assert.True(IdentifierResponse.TryDecode(response.Body, out var decoded, out _));
        return (response.Body, decoded);
    }

    private static async Task<byte[][]> KeyPackagesAsync(DeliveryFixture own, string name, int count)
    {
        var keyPackages = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            keyPackages[i] = (await own.Mls.KeyPackageAsync(name)).KeyPackage;
        }

        return keyPackages;
    }

    private static async Task<HttpResponseMessage> ClaimAsync(HttpClient http, string token, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/client/keyMaterial") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    /// <summary>The RateLimit header without its reset time (which depends on the clock).</summary>
    private static string RateLimitRemaining(HttpResponseMessage response)
    {
        var value = Assert.Single(response.Headers.GetValues("RateLimit"));
        return value[..value.IndexOf(";t=", StringComparison.Ordinal)];
    }
}
