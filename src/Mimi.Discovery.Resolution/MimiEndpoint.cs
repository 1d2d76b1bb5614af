namespace Mimi.Discovery.Resolution;

/// <summary>The endpoints a MIMI directory document names (draft-ietf-mimi-protocol-06, section 5.1).</summary>
public enum MimiEndpoint
{
    /// <summary><c>keyMaterial</c>: claim KeyPackages for a target user.</summary>
    KeyMaterial,

    /// <summary><c>update</c>: submit proposals and commits to the hub.</summary>
    Update,

    /// <summary><c>notify</c>: hub-to-follower fan-out.</summary>
    Notify,

    /// <summary><c>submitMessage</c>: submit an application message to the hub.</summary>
    SubmitMessage,

    /// <summary><c>groupInfo</c>: fetch GroupInfo for an external join.</summary>
    GroupInfo,

    /// <summary><c>requestConsent</c>: ask a target for consent.</summary>
    RequestConsent,

    /// <summary><c>updateConsent</c>: grant, revoke or cancel consent.</summary>
    UpdateConsent,

    /// <summary><c>identifierQuery</c>: query identifiers at a provider.</summary>
    IdentifierQuery,

    /// <summary><c>reportAbuse</c>: report abuse in a room.</summary>
    ReportAbuse,

    /// <summary><c>proxyDownload</c>: download an asset through the hub.</summary>
    ProxyDownload,

    /// <summary>
    /// <c>roomState</c> (this implementation's extension, not in draft-ietf-mimi-protocol-06): a follower fetches a
    /// room's GroupInfo, ratchet tree and pending proposals from its hub, to start keeping the room's public group state.
    /// </summary>
    RoomState,
}
