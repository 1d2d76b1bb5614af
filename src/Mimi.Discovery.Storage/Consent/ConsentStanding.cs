using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>Everything the consent gate needs about a requester and a hosted target, read at once.</summary>
public sealed record ConsentStanding(ConsentMode? TargetMode, bool Blocked, IReadOnlyList<(string? Room, ConsentState State)> Records);
