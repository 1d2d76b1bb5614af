using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>A request as the target's provider holds it.</summary>
public sealed record IncomingConsent(string Requester, string Target, string? Room, ConsentState State, DateTimeOffset RequestedAt, DateTimeOffset UpdatedAt);
