using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mimi.Discovery.Server.OperatorConsole;

namespace Mimi.Discovery.Server.Tests.OperatorConsole;

/// <summary>
/// The lookup traffic history behind the console's chart and <c>mimi traffic</c>: it listens to
/// <c>mimi.lookup.requests</c> of its own host, per minute, per requester and outcome.
/// </summary>
public sealed class LookupTrafficTests : IDisposable
{
    // Half a minute into a minute of today (the clients' assertions are checked against it), so one step crosses one minute.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60 + 30));
    private readonly ServiceFactory _service;

    public LookupTrafficTests() => _service = new ServiceFactory(time: _time);

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Counts_per_minute_requester_and_outcome_from_the_lookup_counter_of_its_own_host_only()
    {
        var @operator = _service.Operator();
        await @operator.GetAccessTokenAsync();
        var requests = LookupCounter(_service);
        using var other = new ServiceFactory();
        var elsewhere = LookupCounter(other);

        requests.Add(3, Tags("alpha.test", "found"));
        requests.Add(1, Tags("alpha.test", "refused-owner-quota"));
        elsewhere.Add(100, Tags("alpha.test", "found"));
        _time.Advance(TimeSpan.FromMinutes(1));
        requests.Add(2, Tags("alpha.test", "found"));
        requests.Add(5, Tags("beta.test", "none"));

        var traffic = await @operator.GetLookupTrafficAsync(3);
        Assert.Equal(3, traffic.Minutes);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(30) - TimeSpan.FromMinutes(2), traffic.Start);
        var found = traffic.Series.Single(s => s is { Requester: "alpha.test", Outcome: "found" });
        Assert.Equal([0, 3, 2], found.Counts);
        Assert.Equal(5, found.Total);
        Assert.Equal([0, 1, 0], traffic.Series.Single(s => s.Outcome == "refused-owner-quota").Counts);
        Assert.Equal([0, 0, 5], traffic.Series.Single(s => s.Requester == "beta.test").Counts);

        // A day later the same slots hold new minutes: nothing old is reported as new.
        _time.Advance(TimeSpan.FromDays(1));
        requests.Add(7, Tags("alpha.test", "found"));
        var later = _service.Services.GetRequiredService<LookupTraffic>().Read(LookupTraffic.Capacity);
        Assert.Equal(7, later.Series.Single().Total);
    }

    [Fact]
    public async Task Minutes_out_of_range_are_a_problem_naming_the_parameter()
    {
        using var service = new ServiceFactory();
        var http = ConsoleClient.Bare(service);
        http.DefaultRequestHeaders.Authorization = new("Bearer", await service.Operator().GetAccessTokenAsync());
        foreach (var minutes in new[] { "0", "1441", "x" })
        {
            var response = await http.GetAsync(new Uri("/v1/operations/lookup-traffic?minutes=" + minutes, UriKind.Relative));
            await ConsoleSessionTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
            Assert.Contains("minutes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static Counter<long> LookupCounter(ServiceFactory service) =>
        service.Services.GetRequiredService<IMeterFactory>().Create("Mimi.Discovery.Lookup").CreateCounter<long>("mimi.lookup.requests");

    private static KeyValuePair<string, object?>[] Tags(string requester, string outcome) =>
        [new("mimi.lookup.mode", "plain"), new("mimi.lookup.outcome", outcome), new("mimi.requester", requester)];
}
