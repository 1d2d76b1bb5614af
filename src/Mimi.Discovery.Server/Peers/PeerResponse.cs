namespace Mimi.Discovery.Server.Peers;

/// <summary>A peer's answer: outcome, status (0 when there was no HTTP answer), body, and its Retry-After.</summary>
internal sealed record PeerResponse(PeerOutcome Outcome, int Status, byte[] Body, TimeSpan? RetryAfter, string? Error)
{
    public static PeerResponse Failed(PeerOutcome outcome, string error) => new(outcome, 0, [], null, error);
}
