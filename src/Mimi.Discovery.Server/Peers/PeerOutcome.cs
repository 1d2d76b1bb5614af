namespace Mimi.Discovery.Server.Peers;

/// <summary>How a request to a peer ended, as the caller decides on it.</summary>
internal enum PeerOutcome
{
    /// <summary>2xx.</summary>
    Accepted,

    /// <summary>Worth retrying later: unreachable, timed out, 408/425/429, 5xx, or the peer could not be resolved now.</summary>
    Transient,

    /// <summary>Retrying will not help: a 4xx refusal, a redirect (never followed), no such endpoint, a forbidden address.</summary>
    Permanent,
}
