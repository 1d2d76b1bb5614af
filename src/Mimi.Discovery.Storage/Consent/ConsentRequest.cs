using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>A consent request as either side's provider holds it (the requester's, or the target's).</summary>
public sealed record ConsentRequest(string Requester, string Target, string? Room, ConsentState State, DateTimeOffset RequestedAt, DateTimeOffset UpdatedAt);
