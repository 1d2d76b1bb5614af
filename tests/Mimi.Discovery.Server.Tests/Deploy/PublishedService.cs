using System.Diagnostics;

namespace Mimi.Discovery.Server.Tests.Deploy;

/// <summary>
/// The service as <c>dotnet publish</c> lays it out (Release), published once per test run into a temporary folder,
/// and the environment its image gives it (the Dockerfile's final <c>ENV</c>).
/// </summary>
public static class PublishedService
{
    private static readonly Lazy<Task<string>> Output = new(PublishAsync);

    /// <summary>The published folder; the first call publishes.</summary>
    public static Task<string> DirectoryAsync() => Output.Value;

    /// <summary>The variables the final stage of the Dockerfile sets with <c>ENV KEY=VALUE …</c>.</summary>
    public static Dictionary<string, string> DockerfileEnvironment()
    {
        var lines = File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        var finalStage = Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(finalStage).Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (var pair in line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                environment[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return environment;
    }

    private static async Task<string> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("mimi-publish-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(output, recursive: true);
        var project = Path.Combine(Tools.RepositoryRoot, "src", "Mimi.Discovery.Server", "Mimi.Discovery.Server.csproj");
        List<string> arguments = ["publish", project, "-c", "Release", "-o", output, "--nologo"];
        if (AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal))
        {
            // The server was just built in Release with these tests: publish that build rather than building again.
            arguments.Add("--no-build");
        }

        using var process = Process.Start(new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Tools.RepositoryRoot,
        })!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"dotnet publish failed:\n{await log}{await errors}");
    }
}
