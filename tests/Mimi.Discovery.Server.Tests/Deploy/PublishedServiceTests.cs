using System.Net;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Mimi.Discovery.Server.Tests.Deploy;

/// <summary>The <c>dotnet publish</c> output run as the Dockerfile, docker-compose.yml and deploy/ run it.</summary>
public sealed class PublishedServiceTests
{
    [Fact]
    public async Task Regression_published_service_ignored_ASPNETCORE_URLS_and_answered_no_probe()
    {
        var published = await PublishedService.DirectoryAsync();
        foreach (var file in Directory.EnumerateFiles(published, "appsettings*.json"))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            Assert.DoesNotContain(names, n => n.Equals("Urls", StringComparison.OrdinalIgnoreCase) || n.Equals("Kestrel", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(names, n => n.Equals("Storage", StringComparison.OrdinalIgnoreCase)); // no development data directory
        }

        var (readiness, liveness, containerPort) = Probes();
        var environment = PublishedService.DockerfileEnvironment();
        var imageUrl = new Uri(environment["ASPNETCORE_URLS"]);
        Assert.Equal(containerPort, imageUrl.Port); // the probes look where the image listens
        var port = LoopbackPorts.FreeTcpPort();
        var data = Directory.CreateTempSubdirectory("mimi-published-").FullName;
        environment["ASPNETCORE_URLS"] = new UriBuilder(imageUrl) { Host = "127.0.0.1", Port = port }.Uri.AbsoluteUri.TrimEnd('/');
        environment["Storage__DataDirectory"] = data;
        environment["Telemetry__Metrics__ManagementUrl"] = "http://127.0.0.1:0"; // tests run side by side
        try
        {
            await using var service = ServiceProcess.Start(published, environment);
            var address = new Uri($"http://127.0.0.1:{port}");
            await service.WaitUntilAnsweringAsync(address, readiness);

            using var http = new HttpClient { BaseAddress = address };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(readiness)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(liveness)).StatusCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Regression_another_port_needed_Urls_ASPNETCORE_URLS_and_Authority_Issuer()
    {
        var published = await PublishedService.DirectoryAsync();
        var port = LoopbackPorts.FreeTcpPort();
        var data = Directory.CreateTempSubdirectory("mimi-published-").FullName;
        try
        {
            // One setting: the address. The issuer, and so the token endpoint the CLI addresses its assertion to, follows.
            await using var service = ServiceProcess.Start(published, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Storage__DataDirectory"] = data,
                ["Telemetry__Metrics__ManagementUrl"] = "http://127.0.0.1:0",
            });
            await service.WaitUntilAnsweringAsync(new Uri($"http://127.0.0.1:{port}"), "/readyz");

            var cli = Path.Combine(AppContext.BaseDirectory, "mimi.dll");
            var key = Path.Combine(data, "keys", "operator.key");
            var (code, output) = await Tools.RunAsync("dotnet", $"{cli} provider list --client-id operator --key {key} --server http://127.0.0.1:{port}", data);

            Assert.True(code == 0, $"mimi provider list exited {code}:\n{output}");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("read-only", false)]
    [InlineData("read-only", true)]
    [InlineData("full", false)]
    [InlineData("full", true)]
    public async Task Regression_read_only_or_full_data_directory_aborted_start_up(string disk, bool keysElsewhere)
    {
        var published = await PublishedService.DirectoryAsync();
        var data = Directory.CreateTempSubdirectory("mimi-disk-").FullName;
        var keys = Path.Combine(Directory.CreateTempSubdirectory("mimi-disk-keys-").FullName, "keys");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPorts.FreeTcpPort()}",
            ["Storage__DataDirectory"] = data,
        };
        if (keysElsewhere)
        {
            environment["Authority__KeyDirectory"] = keys; // so that SQLite is what meets the disk
        }

        // Tests run as root, which permission bits do not stop: a small tmpfs over the data directory, remounted
        // read-only or filled, in a mount namespace of the service's own (gone when it exits).
        const string Disk = """
            mount -t tmpfs -o size=64k tmpfs "$0" || exit 99
            if [ "$1" = full ]; then dd if=/dev/zero of="$0/fill" bs=4k >/dev/null 2>&1; else mount -o remount,ro "$0" || exit 99; fi
            shift; exec "$@"
            """;
        try
        {
            await using var service = ServiceProcess.Start(published, environment, ["unshare", "--mount", "--", "sh", "-c", Disk, data, disk]);
            var code = await service.ExitCodeAsync();

            var lines = service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(code == 2, $"exit code {code}:\n{service.StandardError}");
            var line = Assert.Single(lines);
            Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal);
            Assert.Contains(keysElsewhere ? $"'{data}'" : $"'{Path.Combine(data, "keys")}'", line, StringComparison.Ordinal);
            Assert.Contains(disk == "full" ? "No space left on device" : "Read-only file system", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            Directory.Delete(Path.GetDirectoryName(keys)!, recursive: true);
        }
    }

    /// <summary>The readiness and liveness paths and the container port the service Deployment's probes use.</summary>
    private static (string Readiness, string Liveness, int ContainerPort) Probes()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "deploy", "service.yaml"))));
        var deployment = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).Single(d => d["kind"].ToString() == "Deployment");
        var pod = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
        var readiness = (YamlMappingNode)((YamlMappingNode)container["readinessProbe"])["httpGet"];
        var liveness = (YamlMappingNode)((YamlMappingNode)container["livenessProbe"])["httpGet"];
        Assert.Equal(readiness["port"].ToString(), liveness["port"].ToString());

        var port = readiness["port"].ToString();
        var containerPort = int.TryParse(port, out var number)
            ? number
            : ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().Where(p => p["name"].ToString() == port)
                .Select(p => int.Parse(p["containerPort"].ToString(), System.Globalization.CultureInfo.InvariantCulture)).Single();
        return (readiness["path"].ToString(), liveness["path"].ToString(), containerPort);
    }
}
