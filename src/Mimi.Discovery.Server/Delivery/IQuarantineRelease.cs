namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// Told by the consent capability when a hosted user accepts a requester, so the delivery core releases what it held
/// in quarantine for that pair. Implemented in the Delivery folder.
/// </summary>
internal interface IQuarantineRelease
{
    Task ReleaseAsync(string targetUser, string requesterUser, CancellationToken ct);
}
