namespace Mimi.Discovery.Resolution;

/// <summary>The result of a <see cref="Failover"/> run.</summary>
/// <typeparam name="T">The operation's result type.</typeparam>
/// <param name="Succeeded">Whether some candidate answered with an accepted result.</param>
/// <param name="Value">The accepted result; when none was accepted, the last answer received, if any.</param>
/// <param name="Candidate">The candidate that produced <paramref name="Value"/>.</param>
/// <param name="Attempts">Every attempt, in order.</param>
public sealed record FailoverResult<T>(bool Succeeded, T? Value, ResolutionCandidate? Candidate, IReadOnlyList<FailoverAttempt> Attempts)
{
    /// <summary>One line per attempt, for explanation trails.</summary>
    public IEnumerable<string> Describe() =>
        Attempts.Select(a => $"try {a.Candidate}: {a.Outcome} ({a.Detail})");
}
