namespace Mimi.Discovery.Storage;

/// <summary>How many unclaimed, unexpired KeyPackages a client has.</summary>
public sealed record KeyPackageCount(long Available, long LastResort);
