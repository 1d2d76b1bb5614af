using System.Net;
using System.Net.Sockets;

namespace Mimi.Discovery.Resolution.Tests;

public sealed class FailoverTests
{
    private static readonly ResolutionCandidate[] Candidates =
    [
        new("one.test", 443, 1, 1, [IPAddress.Loopback]),
        new("two.test", 443, 2, 1, [IPAddress.Loopback]),
        new("three.test", 443, 3, 1, [IPAddress.Loopback]),
    ];

    [Fact]
    public async Task Connection_failures_and_timeouts_move_on_to_the_next_candidate()
    {
        var result = await Failover.RunAsync<string>(Candidates, async (candidate, token) =>
        {
            switch (candidate.Target)
            {
                case "one.test":
                    throw new HttpRequestException("connection refused", new SocketException((int)SocketError.ConnectionRefused));
                case "two.test":
                    await Task.Delay(Timeout.Infinite, token);
                    return "never";
                default:
                    return "hello from three";
            }
        }, TimeSpan.FromMilliseconds(200));

        Assert.True(result.Succeeded);
        Assert.Equal("hello from three", result.Value);
        Assert.Equal("three.test", result.Candidate!.Target);
        Assert.Equal(
            [FailoverAttemptOutcome.Unreachable, FailoverAttemptOutcome.TimedOut, FailoverAttemptOutcome.Answered],
            result.Attempts.Select(a => a.Outcome));
        Assert.Contains("connection refused", result.Attempts[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_marked_try_next_are_kept_when_no_candidate_does_better()
    {
        var result = await Failover.RunAsync(Candidates, (candidate, _) => Task.FromResult(503), TimeSpan.FromSeconds(1), status => status >= 500);

        Assert.False(result.Succeeded);
        Assert.Equal(503, result.Value);
        Assert.Equal("three.test", result.Candidate!.Target);
        Assert.All(result.Attempts, a => Assert.Equal(FailoverAttemptOutcome.AnsweredTryNext, a.Outcome));
    }

    [Fact]
    public async Task Bugs_are_not_swallowed()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Failover.RunAsync<int>(Candidates, (_, _) => throw new InvalidOperationException("bug"), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Caller_cancellation_stops_the_run()
    {
        using var cts = new CancellationTokenSource();
        var tried = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Failover.RunAsync<int>(Candidates, async (_, token) =>
        {
            tried++;
            await cts.CancelAsync();
            token.ThrowIfCancellationRequested();
            return 1;
        }, TimeSpan.FromSeconds(5), cancellationToken: cts.Token));
        Assert.Equal(1, tried);
    }

    [Fact]
    public async Task No_candidates_is_a_failure_value()
    {
        var result = await Failover.RunAsync<int>([], (_, _) => Task.FromResult(1), TimeSpan.FromSeconds(1));

        Assert.False(result.Succeeded);
        Assert.Empty(result.Attempts);
    }
}
