using System.Net;

namespace Mimi.Discovery.Resolution.Tests;

public sealed class SrvOrderingTests
{
    private static ResolutionCandidate Candidate(string target, int priority, int weight) =>
        new(target, 443, priority, weight, [IPAddress.Loopback]);

    [Fact]
    public void Priorities_are_ascending_whatever_the_weights()
    {
        var ordered = SrvOrdering.Order(
            [Candidate("c", 30, 1000), Candidate("a", 1, 0), Candidate("b", 2, 5)],
            max => max);

        Assert.Equal(["a", "b", "c"], ordered.Select(c => c.Target));
    }

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(1, "ten")]
    [InlineData(10, "ten")]
    [InlineData(11, "thirty")]
    [InlineData(40, "thirty")]
    public void Running_sum_selects_the_first_record_reaching_the_random_number(int random, string expectedFirst)
    {
        // RFC 2782: weight-0 records go first; running sums here are 0, 10, 40.
        var ordered = SrvOrdering.Order(
            [Candidate("ten", 1, 10), Candidate("thirty", 1, 30), Candidate("zero", 1, 0)],
            max => Math.Min(random, max));

        Assert.Equal(expectedFirst, ordered[0].Target);
        Assert.Equal(3, ordered.Count);
    }

    [Fact]
    public void Random_number_is_drawn_from_zero_to_the_sum_of_remaining_weights()
    {
        var maxima = new List<int>();
        SrvOrdering.Order([Candidate("a", 1, 10), Candidate("b", 1, 30), Candidate("c", 1, 0)], max =>
        {
            maxima.Add(max);
            return 0;
        });

        // First draw over 40, then the zero-weight record is gone: 40 again, then 30 (the 10 was picked).
        Assert.Equal([40, 40, 30], maxima);
    }
}
