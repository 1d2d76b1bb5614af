using System.Reflection;

namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary>The README's fast path to <c>mimi</c>: the project packed as a dotnet tool, installed, run without <c>dotnet run</c>.</summary>
public sealed class CliToolTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-tool-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Regression_every_cli_call_went_through_dotnet_run_the_packed_tool_installs_and_runs()
    {
        var project = Path.Combine(Tools.RepositoryRoot, "src", "Mimi.Discovery.Cli", "Mimi.Discovery.Cli.csproj");
        var configuration = typeof(CliToolTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var packages = Path.Combine(_work, "packages");
        // Only the packed tool as a source, so the install proves the package is whole (a tool restores nothing else).
        await File.WriteAllTextAsync(Path.Combine(_work, "nuget.config"),
            $"""<configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""");

        // The test build built the CLI in this configuration already; building it again from a test is slow. Packing
        // still publishes, which takes minutes on a loaded machine.
        var (packed, packOutput) = await Tools.RunAsync("dotnet", $"pack {project} -c {configuration} --no-build --no-restore -o {packages}", _work,
            TimeSpan.FromMinutes(5));
        Assert.True(packed == 0, packOutput);
        var (installed, installOutput) = await Tools.RunAsync("dotnet",
            $"tool install Mimi.Discovery.Cli --tool-path {Path.Combine(_work, "tools")} --configfile {Path.Combine(_work, "nuget.config")}", _work,
            TimeSpan.FromMinutes(5));
        Assert.True(installed == 0, installOutput);
        var (code, help) = await Tools.RunAsync(Path.Combine(_work, "tools", "mimi"), "--help", _work);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", help, StringComparison.Ordinal);
        Assert.Contains("audit", help, StringComparison.Ordinal);
    }
}
