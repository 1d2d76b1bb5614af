namespace Mimi.Discovery.Storage;

/// <summary>A live GroupInfo grant: which client, of which provider, the hub handed a room's GroupInfo to.</summary>
public sealed record GroupInfoGrant(string RoomId, string ClientUri, string Domain, byte[] SignatureKey);
