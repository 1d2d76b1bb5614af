using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>A request as the requester's provider holds it.</summary>
public sealed record OutgoingConsent(string Requester, string Target, string? Room, ConsentState State, DateTimeOffset RequestedAt, DateTimeOffset UpdatedAt);
