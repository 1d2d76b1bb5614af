namespace Mimi.Discovery.Client;

/// <summary>The service refused a call; <see cref="Problem"/> says why (RFC 9457).</summary>
public sealed class MimiApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MimiApiException(int status, Problem? problem)
        : base($"HTTP {status}: {problem?.Detail ?? problem?.Title ?? "no details"}{(problem?.Type is { } t ? $" ({t})" : "")}")
    {
        Status = status;
        Problem = problem;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The problem body, when the service sent one.</summary>
    public Problem? Problem { get; }
}
