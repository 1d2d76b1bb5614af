using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Resolution;

/// <summary>The outcome of fetching a provider's directory document.</summary>
/// <param name="Domain">The provider domain.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Directory">The validated document when <paramref name="Status"/> is <see cref="DirectoryStatus.Ok"/>.</param>
/// <param name="Resolution">The resolution the fetch used (for a cached document, the one it was fetched with).</param>
/// <param name="Error">What went wrong, when not <see cref="DirectoryStatus.Ok"/>.</param>
/// <param name="TimeToLive">How long the document is cached (zero when it is not).</param>
/// <param name="FromCache">Whether the document came from the cache.</param>
/// <param name="Explanation">Step-by-step account: resolution, attempts, validation.</param>
public sealed record DirectoryResult(
    string Domain,
    DirectoryStatus Status,
    MimiDirectory? Directory,
    Resolution Resolution,
    string? Error,
    TimeSpan TimeToLive,
    bool FromCache,
    IReadOnlyList<string> Explanation)
{
    /// <summary>Whether <see cref="Directory"/> holds a valid document.</summary>
    [MemberNotNullWhen(true, nameof(Directory))]
    public bool Succeeded => Status == DirectoryStatus.Ok && Directory is not null;
}
