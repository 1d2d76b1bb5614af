using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>A user this instance hosts (its delivery domain's <c>mimi://domain/u/name</c>).</summary>
public sealed record HostedUser(string UserUri, ConsentMode ConsentMode, DateTimeOffset CreatedAt);
