namespace Mimi.Discovery.Server.Delivery;

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
