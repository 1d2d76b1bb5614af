using YamlDotNet.RepresentationModel;

namespace Mimi.Discovery.Server.Tests.Telemetry;

/// <summary>deploy/: Prometheus finds each replica's metrics through the pod annotations, on the port the service listens on, and nowhere public.</summary>
public sealed class ScrapeManifestTests
{
    [Fact]
    public void The_pod_annotations_name_the_declared_management_port_that_the_configuration_listens_on_and_the_service_does_not_expose()
    {
        var documents = Documents("service.yaml");
        var deployment = documents.Single(d => d["kind"].ToString() == "Deployment");
        var template = (YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"];
        var annotations = (YamlMappingNode)((YamlMappingNode)template["metadata"])["annotations"];
        Assert.Equal("true", annotations["prometheus.io/scrape"].ToString());
        Assert.Equal("/metrics", annotations["prometheus.io/path"].ToString());
        var port = int.Parse(annotations["prometheus.io/port"].ToString(), System.Globalization.CultureInfo.InvariantCulture);

        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)template["spec"])["containers"]).Single();
        var declared = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().Single(p => p["name"].ToString() == "metrics");
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), declared["containerPort"].ToString());

        var config = (YamlMappingNode)Documents("config.yaml").Single(d => d["kind"].ToString() == "ConfigMap")["data"];
        var management = new Uri(config["Telemetry__Metrics__ManagementUrl"].ToString());
        Assert.Equal(port, management.Port);
        Assert.False(management.IsLoopback, "a scraper outside the pod cannot reach a loopback address");

        var service = documents.Single(d => d["kind"].ToString() == "Service");
        var exposed = ((YamlSequenceNode)((YamlMappingNode)service["spec"])["ports"]).Cast<YamlMappingNode>();
        Assert.DoesNotContain(exposed, p => p["targetPort"].ToString() is "metrics" || p["targetPort"].ToString() == port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "deploy", file))));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }
}
