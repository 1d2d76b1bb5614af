namespace Mimi.Discovery.Storage;

/// <summary>What became of a request that reached the target's provider. Only the provider sees this; the requester is answered the same either way.</summary>
public enum IncomingOutcome
{
    /// <summary>Recorded (or the existing record updated).</summary>
    Recorded,

    /// <summary>Already processed under the same message id.</summary>
    Duplicate,

    /// <summary>No such hosted user.</summary>
    UnknownTarget,

    /// <summary>The target blocked the requester or its domain.</summary>
    Blocked,

    /// <summary>The target holds as many undecided requests as it may (per requester domain or in total).</summary>
    OverLimit,

    /// <summary>A cancellation with nothing undecided to cancel.</summary>
    NothingToCancel,
}
