namespace Mimi.Discovery.Server.Delivery;

/// <summary>What a target user's consent allows a requester to do now.</summary>
internal enum ConsentDecision
{
    /// <summary>Go ahead: the target's mode is open, or it granted consent (for this room, or for any room).</summary>
    Allowed,

    /// <summary>Go ahead, but hold what the requester sends the target in quarantine until the target accepts.</summary>
    Quarantined,

    /// <summary>No consent, the target blocked the requester, or the target is unknown (indistinguishable on purpose).</summary>
    NoConsent,

    /// <summary>Consent exists, but for another room.</summary>
    ConsentNotForRoom,
}
