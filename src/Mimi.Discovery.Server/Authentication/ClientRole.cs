namespace Mimi.Discovery.Server.Authentication;

internal enum ClientRole
{
    Provider,
    Operator,

    /// <summary>A client (device) of a user this instance hosts; its id is the client's MIMI URI.</summary>
    HostedClient,
}
