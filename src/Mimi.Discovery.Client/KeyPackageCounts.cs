namespace Mimi.Discovery.Client;

/// <summary>A client's unclaimed, unexpired KeyPackages.</summary>
public sealed record KeyPackageCounts(long Available, long LastResort);
