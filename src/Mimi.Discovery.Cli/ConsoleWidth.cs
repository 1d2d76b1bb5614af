using System.Globalization;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// How wide the CLI renders. Spectre.Console assumes 80 columns whenever stdout is not a terminal, which breaks
/// serials, dates and key ids over lines in a file or a pipe; there nothing wraps. On a terminal an exported
/// <c>COLUMNS</c> wins over the width the terminal reports, as it does for other Unix tools.
/// </summary>
internal static class ConsoleWidth
{
    /// <summary>The width given to output that is not a terminal: wide enough that no line ever wraps.</summary>
    public const int Unbounded = int.MaxValue;

    /// <summary>Sets <paramref name="console"/>'s width from where its output goes and the <c>COLUMNS</c> variable.</summary>
    public static void Apply(IAnsiConsole console, bool outputRedirected, string? columns)
    {
        if (outputRedirected)
        {
            console.Profile.Width = Unbounded;
        }
        else if (int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0)
        {
            console.Profile.Width = width;
        }
    }
}
