namespace Mimi.Discovery.Cli;

internal static class CliProgram
{
    public static Task<int> Main(string[] args) => MimiCommand.Build().Parse(args).InvokeAsync();
}
