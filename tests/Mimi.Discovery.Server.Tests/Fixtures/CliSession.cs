namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>
/// The <c>mimi</c> tool as a user runs it: the service listening on a real loopback port (its issuer matching that
/// URL), a scratch working directory, and the CLI started as a separate process in it.
/// </summary>
public sealed class CliSession : IDisposable
{
    public CliSession(IDictionary<string, string?>? settings = null)
    {
        Port = LoopbackPorts.FreeTcpPort();
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Authority:Issuer"] = $"http://127.0.0.1:{Port}" };
        Service = new ServiceFactory(settings: all);
        Service.UseKestrel(Port);
        Service.StartServer();
    }

    public int Port { get; }

    public ServiceFactory Service { get; }

    public string Work { get; } = Directory.CreateTempSubdirectory("mimi-cli-").FullName;

    /// <summary>The global options naming the development operator.</summary>
    public string OperatorOptions => $"--client-id operator --key {Service.KeyDirectory}/operator.key";

    /// <summary>Runs <c>mimi ARGUMENTS --server URL</c> in <see cref="Work"/> and checks its exit code.</summary>
    public async Task<string> MimiAsync(string arguments, int expectedExitCode = 0)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "mimi.dll");
        var (code, output) = await Tools.RunAsync("dotnet", $"{cli} {arguments} --server http://127.0.0.1:{Port}", Work);
        Assert.True(code == expectedExitCode, $"mimi {arguments} exited {code}:\n{output}");
        return output;
    }

    public void Dispose()
    {
        Service.Dispose();
        Directory.Delete(Work, recursive: true);
    }
}
