using System.Net.Sockets;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// RFC 2782 fail-over: tries an operation against each candidate in order until one answers.
/// Connection failures and timeouts move on to the next candidate; other exceptions are bugs and propagate.
/// </summary>
public static class Failover
{
    /// <summary>
    /// Runs <paramref name="operation"/> against each candidate of <paramref name="resolution"/> in order.
    /// </summary>
    /// <typeparam name="T">The operation's result type.</typeparam>
    /// <param name="resolution">A resolution whose <see cref="Resolution.Candidates"/> are already in RFC 2782 order.</param>
    /// <param name="operation">The work to do against one candidate; it must honour the token it is given.</param>
    /// <param name="attemptTimeout">How long one attempt may take.</param>
    /// <param name="tryNext">Optional: returns <see langword="true"/> when an answer should count as a failure of that candidate (for example a 5xx).</param>
    /// <param name="cancellationToken">Cancels the whole run; cancellation is not treated as a failed attempt.</param>
    public static Task<FailoverResult<T>> RunAsync<T>(
        Resolution resolution,
        Func<ResolutionCandidate, CancellationToken, Task<T>> operation,
        TimeSpan attemptTimeout,
        Func<T, bool>? tryNext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        return RunAsync(resolution.Candidates, operation, attemptTimeout, tryNext, cancellationToken);
    }

    /// <summary>Runs <paramref name="operation"/> against each of <paramref name="candidates"/> in order.</summary>
    /// <typeparam name="T">The operation's result type.</typeparam>
    /// <param name="candidates">Candidates in the order to try them.</param>
    /// <param name="operation">The work to do against one candidate; it must honour the token it is given.</param>
    /// <param name="attemptTimeout">How long one attempt may take.</param>
    /// <param name="tryNext">Optional: returns <see langword="true"/> when an answer should count as a failure of that candidate.</param>
    /// <param name="cancellationToken">Cancels the whole run; cancellation is not treated as a failed attempt.</param>
    public static async Task<FailoverResult<T>> RunAsync<T>(
        IReadOnlyList<ResolutionCandidate> candidates,
        Func<ResolutionCandidate, CancellationToken, Task<T>> operation,
        TimeSpan attemptTimeout,
        Func<T, bool>? tryNext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(attemptTimeout, TimeSpan.Zero);

        var attempts = new List<FailoverAttempt>(candidates.Count);
        T? lastAnswer = default;
        ResolutionCandidate? lastAnswered = null;
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(attemptTimeout);
            try
            {
                var value = await operation(candidate, attemptCts.Token);
                if (tryNext is not null && tryNext(value))
                {
                    attempts.Add(new FailoverAttempt(candidate, FailoverAttemptOutcome.AnsweredTryNext, value?.ToString() ?? "no value"));
                    lastAnswer = value;
                    lastAnswered = candidate;
                    continue;
                }

                attempts.Add(new FailoverAttempt(candidate, FailoverAttemptOutcome.Answered, "answered"));
                return new FailoverResult<T>(true, value, candidate, attempts);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                attempts.Add(new FailoverAttempt(candidate, FailoverAttemptOutcome.TimedOut, $"no answer within {attemptTimeout.TotalSeconds:0.###} s"));
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                attempts.Add(new FailoverAttempt(candidate, FailoverAttemptOutcome.Unreachable, Describe(ex)));
            }
        }

        return new FailoverResult<T>(false, lastAnswer, lastAnswered, attempts);
    }

    /// <summary>Whether <paramref name="exception"/> means "this candidate could not be reached", as opposed to a bug.</summary>
    public static bool IsConnectionFailure(Exception exception) =>
        exception is HttpRequestException or SocketException or IOException or TimeoutException;

    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null && messages.Count < 3; current = current.InnerException)
        {
            if (messages.Count == 0 || !messages[^1].Contains(current.Message, StringComparison.Ordinal))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(": ", messages);
    }
}
