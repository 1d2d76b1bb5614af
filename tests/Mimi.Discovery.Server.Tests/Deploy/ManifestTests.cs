using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Mimi.Discovery.Server.Tests.Deploy;

public sealed class ManifestTests
{
    public static TheoryData<string> Manifests() => new(Directory.EnumerateFiles(Path.Combine(Tools.RepositoryRoot, "deploy"), "*.yaml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_kubernetes_document_parses_and_names_its_kind(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "deploy", file))));

        Assert.NotEmpty(stream.Documents);
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            Assert.True(root.Children.ContainsKey("apiVersion"), $"{file}: a document lacks apiVersion");
            Assert.True(root.Children.ContainsKey("kind"), $"{file}: a document lacks kind");
            Assert.True(((YamlMappingNode)root["metadata"]).Children.ContainsKey("name"), $"{file}: a document lacks metadata.name");
        }
    }

    [Fact]
    public void The_service_deployment_runs_several_replicas_on_postgres_and_redis_with_secrets_from_the_environment()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "deploy", "service.yaml"))));
        var deployment = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).Single(d => d["kind"].ToString() == "Deployment");

        var spec = (YamlMappingNode)deployment["spec"];
        Assert.True(int.Parse(spec["replicas"].ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        var text = string.Concat(Directory.EnumerateFiles(Path.Combine(Tools.RepositoryRoot, "deploy"), "*.yaml").Select(File.ReadAllText));
        Assert.Contains("Storage__Provider", text);
        Assert.Contains("Storage__ConnectionString", text);
        Assert.Contains("secretKeyRef", text);
        Assert.Contains("/readyz", text);
        Assert.Contains("Authority__CreateDevelopmentKeys", text);
    }

    [Fact]
    public async Task The_deployment_copies_its_key_secrets_into_a_key_directory_the_service_accepts()
    {
        var work = Directory.CreateTempSubdirectory("mimi-k8s-").FullName;
        try
        {
            // Keys made by a development instance, as an operator would put them into the two secrets.
            string jwks;
            var keySecret = Path.Combine(work, "keys-secret");
            var caSecret = Path.Combine(work, "ca-secret");
            using (var development = new ServiceFactory())
            {
                jwks = await development.CreateClient().GetStringAsync("/.well-known/jwks.json");
                SecretVolume(keySecret, Directory.GetFiles(development.KeyDirectory));
                SecretVolume(caSecret, Directory.GetFiles(Path.Combine(development.KeyDirectory, "ca")));
            }

            // The init container's own command, its paths moved here; the emptyDir it writes into is 0777 as kubelet makes it.
            var deployment = Deployment();
            var pod = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"];
            var init = (YamlMappingNode)((YamlSequenceNode)pod["initContainers"]).Single();
            var command = ((YamlSequenceNode)init["command"]).Select(n => n.ToString()).ToList();
            var emptyDir = Path.Combine(work, "emptydir");
            Directory.CreateDirectory(emptyDir);
            File.SetUnixFileMode(emptyDir, Mode("777"));
            var moved = new Dictionary<string, string>
            {
                ["KEYS"] = Path.Combine(emptyDir, "keys"),
                ["KEY_SECRETS"] = keySecret,
                ["CA_SECRETS"] = caSecret,
            };
            var start = new ProcessStartInfo(command[0], command.Skip(1)) { RedirectStandardError = true };
            foreach (var variable in ((YamlSequenceNode)init["env"]).Cast<YamlMappingNode>())
            {
                start.Environment[variable["name"].ToString()] = moved[variable["name"].ToString()];
            }

            using (var copy = Process.Start(start)!)
            {
                var errors = copy.StandardError.ReadToEndAsync();
                await copy.WaitForExitAsync();
                Assert.True(copy.ExitCode == 0, await errors);
            }

            // The service, development keys off, starts on the copy and publishes the same keys.
            using var service = new ServiceFactory(settings: new Dictionary<string, string?>
            {
                ["Authority:KeyDirectory"] = moved["KEYS"],
                ["Authority:CreateDevelopmentKeys"] = "false",
            });
            Assert.Equal(jwks, await service.CreateClient().GetStringAsync("/.well-known/jwks.json"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Lays <paramref name="files"/> out as kubelet does a secret volume under the manifest's fsGroup: a world-writable
    /// sticky root, a timestamped directory (0755) of files 0440, <c>..data</c> pointing at it, one symlink per key.
    /// </summary>
    private static void SecretVolume(string root, IEnumerable<string> files)
    {
        var stamped = Path.Combine(root, "..2026_01_01_00_00_00.000000000");
        Directory.CreateDirectory(stamped);
        foreach (var file in files)
        {
            var copy = Path.Combine(stamped, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.GroupRead);
            File.CreateSymbolicLink(Path.Combine(root, Path.GetFileName(file)), Path.Combine("..data", Path.GetFileName(file)));
        }

        File.SetUnixFileMode(stamped, Mode("755"));
        Directory.CreateSymbolicLink(Path.Combine(root, "..data"), Path.GetFileName(stamped));
        File.SetUnixFileMode(root, Mode("1777"));
    }

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    private static YamlMappingNode Deployment()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "deploy", "service.yaml"))));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).Single(d => d["kind"].ToString() == "Deployment");
    }
}
