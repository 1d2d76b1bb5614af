namespace Mimi.Discovery.Storage;

/// <summary>A recorded claim: which client a KeyPackageRef belongs to, who claimed it and for which room.</summary>
public sealed record KeyPackageClaim(string Ref, string ClientUri, string RequesterUser, string RoomId);
