namespace Mimi.Discovery.Server.Delivery;

/// <summary>Who submitted a handshake or application message to the hub: a local client, or a follower provider.</summary>
internal readonly record struct HubSender(string? ClientUri, string? PeerDomain);
