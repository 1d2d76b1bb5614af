namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>The console's log events (ids 2200–2299). No token, cookie or link is ever logged.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Console sign-in link issued to operator {Operator}, valid until {Expires}")]
    public static partial void LinkIssued(ILogger logger, string @operator, DateTimeOffset expires);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Console session {Session} opened for operator {Operator}, until {Expires}")]
    public static partial void SignedIn(ILogger logger, string session, string @operator, DateTimeOffset expires);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Console sign-in refused: the link is unknown, used or expired")]
    public static partial void SignInRefused(ILogger logger);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Console session {Session} of operator {Operator} signed out")]
    public static partial void SignedOut(ILogger logger, string session, string @operator);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Console request {Method} {Path} refused: no valid anti-forgery token")]
    public static partial void AntiforgeryRefused(ILogger logger, string method, PathString path);
}
