namespace Mimi.Discovery.Resolution;

/// <summary>What one candidate answered for the directory document; <see cref="TryNext"/> asks fail-over to move on.</summary>
internal sealed record DirectoryFetch(DirectoryStatus Status, MimiDirectory? Directory, string? Error, TimeSpan Ttl, bool TryNext)
{
    public static DirectoryFetch Failed(DirectoryStatus status, string error, bool tryNext) =>
        new(status, null, error, TimeSpan.Zero, tryNext);

    public override string ToString() => Error ?? Status.ToString();
}
