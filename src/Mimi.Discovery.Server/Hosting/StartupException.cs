using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Start-up cannot go on because of a setting or what it names (a key directory open to others, a data directory
/// that is read-only or full): the service stops with this one-line message and exit code 2, as for an invalid
/// setting, instead of an unhandled exception.
/// </summary>
internal sealed class StartupException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>
    /// The one line a failed start is reported with, or null when <paramref name="exception"/> is not a configuration
    /// error (a bug keeps its stack trace).
    /// </summary>
    public static string? Describe(Exception exception)
    {
        var line = exception switch
        {
            StartupException e => e.Message,
            OptionsValidationException e => string.Join(" ", e.Failures),
            // Options of several sections validated at once fail together.
            AggregateException e when e.InnerExceptions.Count > 0 && e.InnerExceptions.All(i => Describe(i) is not null) =>
                string.Join(" ", e.InnerExceptions.Select(Describe)),
            _ => null,
        };
        return line?.ReplaceLineEndings(" ");
    }
}
