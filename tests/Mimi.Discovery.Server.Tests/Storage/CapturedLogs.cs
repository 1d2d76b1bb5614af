using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>Every log line a running service writes from the moment it is attached (at the levels configured).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    /// <summary>Adds a capture to the service's logger factory (starting the service if it is not yet started).</summary>
    public static CapturedLogs Attach<T>(WebApplicationFactory<T> service)
        where T : class
    {
        var logs = new CapturedLogs();
        service.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        return logs;
    }

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public int Count(int eventId) => _lines.Count(l => l.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    public sealed record LogLine(string Category, LogLevel Level, int EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}[{EventId}] {Message}{(Exception is null ? "" : " | " + Exception.GetType().Name)}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
