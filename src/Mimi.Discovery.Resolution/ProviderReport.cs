namespace Mimi.Discovery.Resolution;

/// <summary>Everything <c>mimi resolve DOMAIN</c> prints: the resolution, the directory and the combined explanation.</summary>
/// <param name="Domain">The domain as given.</param>
/// <param name="Resolution">The DNS resolution.</param>
/// <param name="Directory">The directory fetch, or <see langword="null"/> when it was not attempted.</param>
/// <param name="Explanation">The combined explanation, one line per step.</param>
public sealed record ProviderReport(string Domain, Resolution Resolution, DirectoryResult? Directory, IReadOnlyList<string> Explanation);
