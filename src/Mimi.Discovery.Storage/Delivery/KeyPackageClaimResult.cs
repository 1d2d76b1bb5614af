namespace Mimi.Discovery.Storage;

/// <summary>How a claim ended: the target's clients and their KeyPackages, or that the target has no clients.</summary>
public sealed record KeyPackageClaimResult(IReadOnlyList<ClaimedKeyPackage> Clients);
