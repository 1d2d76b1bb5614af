namespace Mimi.Discovery.Resolution;

/// <summary>RFC 2782 target selection: lowest priority first, weighted random order within a priority.</summary>
internal static class SrvOrdering
{
    /// <param name="candidates">Candidates in the order the DNS answer listed them.</param>
    /// <param name="uniformUpTo">Returns a uniform random integer in [0, n], n inclusive.</param>
    public static List<ResolutionCandidate> Order(IReadOnlyList<ResolutionCandidate> candidates, Func<int, int> uniformUpTo)
    {
        var ordered = new List<ResolutionCandidate>(candidates.Count);
        foreach (var group in candidates.GroupBy(c => c.Priority).OrderBy(g => g.Key))
        {
            // RFC 2782: records of weight 0 go to the front, so that they keep a very small chance
            // of being picked (a running sum of 0 matches a random number of 0).
            var pending = group.Where(c => c.Weight == 0).Concat(group.Where(c => c.Weight > 0)).ToList();
            while (pending.Count > 0)
            {
                var total = 0;
                foreach (var candidate in pending)
                {
                    total += candidate.Weight;
                }

                var pick = uniformUpTo(total);
                var runningSum = 0;
                var chosen = pending.Count - 1;
                for (var i = 0; i < pending.Count; i++)
                {
                    runningSum += pending[i].Weight;
                    if (runningSum >= pick)
                    {
                        chosen = i;
                        break;
                    }
                }

                ordered.Add(pending[chosen]);
                pending.RemoveAt(chosen);
            }
        }

        return ordered;
    }
}
