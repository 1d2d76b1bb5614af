namespace Mimi.Discovery.Server.Delivery;

/// <summary>How the hub answered, before it is put on the wire.</summary>
internal enum HubStatus
{
    Accepted,
    WrongEpoch,
    NoSuchRoom,
    NotMember,
    Invalid,

    /// <summary>The room's public group state refused the proposal or commit (an MLS check failed); the detail names the check.</summary>
    MlsRefused,
}
