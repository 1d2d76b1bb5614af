namespace Mimi.Discovery.Storage;

/// <summary>Unix-millisecond conversions used for every stored time (one representation on both databases).</summary>
internal static class StoredTime
{
    public static long From(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset To(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static DateTimeOffset? To(long? milliseconds) => milliseconds is { } ms ? To(ms) : null;
}
