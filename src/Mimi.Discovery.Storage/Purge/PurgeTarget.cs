namespace Mimi.Discovery.Storage;

/// <summary>What the purge removes; each kind is deleted by its own expiry or age column.</summary>
public enum PurgeTarget
{
    /// <summary>KeyPackages past their not_after, last-resort ones included: an expired KeyPackage is never handed out.</summary>
    ExpiredKeyPackages,

    /// <summary>Claims of KeyPackages (kept to route the Welcome that uses them), by claim time.</summary>
    KeyPackageClaims,

    /// <summary>Hashes of messages local clients sent through a remote hub (so the hub's echo is not delivered back), by send time.</summary>
    SentMessages,

    /// <summary>Message ids processed from peers (a retried notify or consent message is applied once), by receipt time.</summary>
    InboundMessages,

    /// <summary>One-time <c>jti</c> values of client assertions and peer request tokens, by their expiry.</summary>
    ClientAssertions,

    /// <summary>Proof-of-control challenges, by their expiry.</summary>
    Challenges,

    /// <summary>Outbox messages given up on (shown to the operator until then), by failure time.</summary>
    FailedOutboxMessages,

    /// <summary>GroupInfo grants for external joins that were never used, by their expiry.</summary>
    GroupInfoGrants,

    /// <summary>Progress of resumable imports (so a resumed upload logs no line twice), by the time of its last batch.</summary>
    ImportProgress,

    /// <summary>Operator console sign-in links, used or not, by their expiry.</summary>
    ConsoleSignInLinks,

    /// <summary>Operator console sessions, ended or not, by their expiry.</summary>
    ConsoleSessions,
}
