namespace Mimi.Discovery.Protocol.Tls;

/// <summary>Limits a <see cref="TlsReader"/> enforces.</summary>
public sealed record TlsReaderOptions
{
    /// <summary>The default total size limit, 8 MiB: room for a GroupInfo with a large ratchet tree.</summary>
    public const int DefaultMaxInputLength = 8 * 1024 * 1024;

    /// <summary>Options with the defaults.</summary>
    public static TlsReaderOptions Default { get; } = new();

    /// <summary>Inputs longer than this fail with <see cref="TlsErrorKind.TotalSizeExceeded"/> before any parsing.</summary>
    public int MaxInputLength { get; init; } = DefaultMaxInputLength;
}
