namespace Mimi.Discovery.Model;

/// <summary>Where a consent request stands, on either side.</summary>
public enum ConsentState
{
    /// <summary>Asked and not decided (the requester sees it as pending).</summary>
    Requested = 0,

    /// <summary>The target granted consent.</summary>
    Granted = 1,

    /// <summary>The target revoked consent (or denied it preemptively).</summary>
    Revoked = 2,

    /// <summary>The requester withdrew the request.</summary>
    Cancelled = 3,

    /// <summary>The target rejected the request (recorded on the target's side only; nothing is sent).</summary>
    Rejected = 4,
}
