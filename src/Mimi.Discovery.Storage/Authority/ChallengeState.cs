namespace Mimi.Discovery.Storage;

/// <summary>Where a proof-of-control challenge stands.</summary>
public enum ChallengeState
{
    /// <summary>Sent, waiting for the code.</summary>
    Pending = 0,
    /// <summary>The right code was presented; the challenge cannot be used again.</summary>
    Used = 1,
}
