using YamlDotNet.RepresentationModel;

namespace Mimi.Discovery.Server.Tests.Deploy;

public sealed class ManifestTests
{
    private static string Root()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Mimi.Discovery.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Repository root not found.");
        }

        return directory;
    }

    public static TheoryData<string> Manifests() => new(Directory.EnumerateFiles(Path.Combine(Root(), "deploy"), "*.yaml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_kubernetes_document_parses_and_names_its_kind(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root(), "deploy", file))));

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
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root(), "deploy", "service.yaml"))));
        var deployment = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).Single(d => d["kind"].ToString() == "Deployment");

        var spec = (YamlMappingNode)deployment["spec"];
        Assert.True(int.Parse(spec["replicas"].ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        var text = string.Concat(Directory.EnumerateFiles(Path.Combine(Root(), "deploy"), "*.yaml").Select(File.ReadAllText));
        Assert.Contains("Storage__Provider", text);
        Assert.Contains("Storage__ConnectionString", text);
        Assert.Contains("secretKeyRef", text);
        Assert.Contains("/readyz", text);
        Assert.Contains("Authority__CreateDevelopmentKeys", text);
    }
}
