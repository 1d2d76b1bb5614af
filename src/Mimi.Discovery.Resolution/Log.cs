using Microsoft.Extensions.Logging;

namespace Mimi.Discovery.Resolution;

internal static partial class Log
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Resolved {Domain}: {Status} via {Source}, {Count} candidate(s)")]
    public static partial void Resolved(ILogger logger, string domain, ResolutionStatus status, ResolutionSource source, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "DNS question {Name} {Type} failed: {Detail}")]
    public static partial void DnsFailed(ILogger logger, string name, string type, string detail);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Refused address for {Host}: {Reason}")]
    public static partial void AddressRefused(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Directory for {Domain}: {Status} {Error}")]
    public static partial void DirectoryFetched(ILogger logger, string domain, DirectoryStatus status, string? error);
}
