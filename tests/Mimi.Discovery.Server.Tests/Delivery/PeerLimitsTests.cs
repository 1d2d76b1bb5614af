using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Net;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Tests.Consent;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// What one provider accepts from another, across separate service instances: a suspension made at the discovery
/// service reaches peers within the key cache's bound, and identifierQuery has a per-requester quota.
/// </summary>
public sealed class PeerLimitsTests
{
    private static readonly byte[] Query = new IdentifierRequest(
        ValueArray.Create(new QueryElement(SearchIdentifierType.Nick, null, "nobody")), AppDataDictionary.Empty).Encode();

    [Fact]
    public async Task A_suspension_reaches_other_providers_within_the_peer_key_bound()
    {
        var bound = TimeSpan.FromSeconds(2);
        await using var network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test"],
            settings: new Dictionary<string, string?> { ["Delivery:PeerKeyCacheLifetime"] = bound.ToString() });
        var (alpha, beta) = (network["alpha.test"], network["beta.test"]);
        Assert.Equal(HttpStatusCode.OK, (await PeerRequests.PostAsync(alpha, beta, "identifierQuery", "beta.test", Query)).StatusCode);

        await network.Discovery.Operator().SuspendProviderAsync("alpha.test");
        var suspended = Stopwatch.StartNew();
        var refused = await PeerRequests.EventuallyAsync(
            async () => (await PeerRequests.PostAsync(alpha, beta, "identifierQuery", "beta.test", Query)).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(20));

        Assert.True(refused, "beta kept accepting the suspended alpha's requests");
        // The bound, plus the poll step and a loaded machine's slack.
        Assert.InRange(suspended.Elapsed, TimeSpan.Zero, bound + TimeSpan.FromSeconds(3));
        var after = await PeerRequests.PostAsync(alpha, beta, "identifierQuery", "beta.test", Query);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public void Regression_the_peer_key_cache_cannot_outlive_a_minute()
    {
        Assert.InRange(new DeliveryOptions().PeerKeyCacheLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        var fiveMinutes = new DeliveryOptions { PeerKeyCacheLifetime = TimeSpan.FromMinutes(5) };

        Assert.False(Validator.TryValidateObject(fiveMinutes, new ValidationContext(fiveMinutes), [], validateAllProperties: true));
    }

    [Fact]
    public async Task Regression_identifierQuery_has_a_per_requester_quota_with_429_and_Retry_After()
    {
        await using var network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test", "gamma.test"],
            settings: new Dictionary<string, string?> { ["Delivery:IdentifierQueries:PerRequester"] = "3" });
        var (alpha, beta, gamma) = (network["alpha.test"], network["beta.test"], network["gamma.test"]);

        var answered = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            answered.Add(await PeerRequests.PostAsync(alpha, beta, "identifierQuery", "beta.test", Query));
        }

        var refused = await PeerRequests.PostAsync(alpha, beta, "identifierQuery", "beta.test", Query);
        var malformed = await PeerRequests.PostAsync(alpha, beta, "identifierQuery", "beta.test", [0xff]);
        var other = await PeerRequests.PostAsync(gamma, beta, "identifierQuery", "beta.test", Query);

        Assert.All(answered, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["\"identifier-queries\";q=3;w=3600"], answered[0].Headers.GetValues("RateLimit-Policy"));
        Assert.StartsWith("\"identifier-queries\";r=0;", Assert.Single(answered[2].Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode); // per requester: gamma has its own quota
    }
}
