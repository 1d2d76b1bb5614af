namespace Mimi.Discovery.Server.Delivery;

/// <summary>How the hub answered, before it is put on the wire.</summary>
internal enum HubStatus
{
    Accepted,
    WrongEpoch,
    NoSuchRoom,
    NotMember,
    Invalid,
}
