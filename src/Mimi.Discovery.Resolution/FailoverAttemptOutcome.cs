namespace Mimi.Discovery.Resolution;

/// <summary>What happened when one candidate was tried.</summary>
public enum FailoverAttemptOutcome
{
    /// <summary>The candidate answered and the answer was accepted.</summary>
    Answered,

    /// <summary>The candidate answered, but the answer asked for the next candidate (for example an HTTP 5xx).</summary>
    AnsweredTryNext,

    /// <summary>The connection failed (refused, reset, forbidden address, TLS failure…).</summary>
    Unreachable,

    /// <summary>The attempt did not finish within its timeout.</summary>
    TimedOut,
}
