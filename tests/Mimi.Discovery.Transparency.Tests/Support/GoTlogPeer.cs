using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Mimi.Discovery.Transparency.Tests.Support;

/// <summary>
/// tests/peers/gotlog, built once with Go's golang.org/x/mod/sumdb/tlog and sumdb/note and kept running: an
/// independent implementation to check our proofs, tiles and notes against. One JSON request per line on its stdin,
/// one JSON response per line on its stdout.
/// </summary>
public sealed class GoTlogPeer : IDisposable
{
    private const string ModSource = "/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog";
    private const string SetupHint =
        "Run the project's test setup (it installs Debian's golang-go and golang-golang-x-mod-dev with apt-get).";

    private readonly Process? _process;
    private readonly string? _problem;

    public GoTlogPeer()
    {
        try
        {
            _process = Start();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            _problem = e.Message;
        }
    }

    /// <summary>Sends one request and returns the response, failing the test if the peer is missing or reports an error.</summary>
    public JsonObject Call(JsonObject request)
    {
        var (ok, body) = CallAllowingError(request);
        Assert.True(ok, $"gotlog refused {request["op"]}: {body["error"]}");
        return body;
    }

    /// <summary>Sends one request; the peer's own verdict is in <c>Ok</c>.</summary>
    public (bool Ok, JsonObject Body) CallAllowingError(JsonObject request)
    {
        if (_process is null)
        {
            Assert.Fail("The Go tlog peer is unavailable: " + _problem);
        }

        lock (_process)
        {
            _process.StandardInput.WriteLine(request.ToJsonString());
            _process.StandardInput.Flush();
            var line = _process.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException("gotlog exited: " + _process.StandardError.ReadToEnd());
            var body = JsonNode.Parse(line)!.AsObject();
            return (body["ok"]!.GetValue<bool>(), body);
        }
    }

    public static JsonArray Base64Array(IEnumerable<byte[]> items) => [.. items.Select(i => (JsonNode)Convert.ToBase64String(i))];

    public static byte[] Bytes(JsonNode? node) => node is null ? [] : Convert.FromBase64String(node.GetValue<string>());

    public static byte[][] ByteArrays(JsonNode? node) => node is null ? [] : [.. node.AsArray().Select(Bytes)];

    public void Dispose()
    {
        if (_process is null)
        {
            return;
        }

        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static Process Start()
    {
        var go = FindGo() ?? throw new InvalidOperationException("'go' is not installed. " + SetupHint);
        if (!Directory.Exists(ModSource))
        {
            throw new InvalidOperationException($"golang.org/x/mod is not installed ({ModSource} is missing). " + SetupHint);
        }

        var source = Path.Combine(RepositoryRoot(), "tests", "peers", "gotlog");
        var output = Path.Combine(AppContext.BaseDirectory, "gotlog");
        Directory.CreateDirectory(output);
        var binary = Path.Combine(output, "gotlog");
        var build = new ProcessStartInfo(go)
        {
            WorkingDirectory = source,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        build.ArgumentList.Add("build");
        build.ArgumentList.Add("-o");
        build.ArgumentList.Add(binary);
        build.ArgumentList.Add(".");
        build.Environment["GO111MODULE"] = "off";
        build.Environment["GOPATH"] = "/usr/share/gocode";
        build.Environment["GOFLAGS"] = "";
        build.Environment["GOCACHE"] = Path.Combine(output, "cache");
        using (var compile = Process.Start(build) ?? throw new InvalidOperationException("Could not start go build."))
        {
            var stderr = compile.StandardError.ReadToEndAsync();
            compile.StandardOutput.ReadToEnd();
            if (!compile.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                compile.Kill();
                throw new InvalidOperationException("go build of tests/peers/gotlog took over 3 minutes.");
            }

            if (compile.ExitCode != 0)
            {
                throw new InvalidOperationException($"go build of tests/peers/gotlog failed: {stderr.Result} " + SetupHint);
            }
        }

        var run = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(run) ?? throw new InvalidOperationException("Could not start gotlog.");
    }

    private static string? FindGo()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator).Append("/usr/lib/go/bin"))
        {
            var candidate = Path.Combine(directory, "go");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tests", "peers", "gotlog", "main.go")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Could not find tests/peers/gotlog above " + AppContext.BaseDirectory);
    }
}
