namespace Mimi.Discovery.Storage;

/// <summary>A target's decision on a request, as the store applied it.</summary>
public enum DecisionOutcome
{
    /// <summary>Applied.</summary>
    Applied,

    /// <summary>There is no request (or grant) to decide on.</summary>
    NotFound,
}
