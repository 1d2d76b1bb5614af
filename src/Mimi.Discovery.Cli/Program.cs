using Spectre.Console;

namespace Mimi.Discovery.Cli;

internal static class CliProgram
{
    public static Task<int> Main(string[] args)
    {
        ConsoleWidth.Apply(AnsiConsole.Console, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("COLUMNS"));
        return MimiCommand.Build().Parse(args).InvokeAsync();
    }
}
