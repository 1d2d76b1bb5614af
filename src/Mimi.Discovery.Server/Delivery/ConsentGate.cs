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

/// <summary>
/// The consent capability as the delivery core asks it: <c>keyMaterial</c> claims and incoming first messages
/// consult it. Implemented in the Consent folder.
/// </summary>
internal interface IConsentGate
{
    /// <summary>May <paramref name="requesterUser"/> claim <paramref name="targetUser"/>'s key material (for <paramref name="roomId"/>)?</summary>
    Task<ConsentDecision> CheckClaimAsync(string requesterUser, string targetUser, string? roomId, CancellationToken ct);

    /// <summary>Has the hosted <paramref name="targetUser"/> accepted <paramref name="requesterUser"/> (so held messages may be released)?</summary>
    Task<bool> IsAcceptedAsync(string targetUser, string requesterUser, CancellationToken ct);
}

/// <summary>
/// Told by the consent capability when a hosted user accepts a requester, so the delivery core releases what it held
/// in quarantine for that pair. Implemented in the Delivery folder.
/// </summary>
internal interface IQuarantineRelease
{
    Task ReleaseAsync(string targetUser, string requesterUser, CancellationToken ct);
}
