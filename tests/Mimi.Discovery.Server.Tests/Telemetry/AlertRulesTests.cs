using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Mimi.Discovery.Server.Tests.Telemetry;

/// <summary>
/// deploy/prometheus/alerts.yml, checked by Prometheus's own tool: the rules load, each alert fires on a synthetic series
/// of trouble and stays quiet on a healthy one (alerts.test.yml beside this file), and every metric they use exists.
/// </summary>
public sealed partial class AlertRulesTests
{
    private const string Promtool = "/usr/bin/promtool";

    private static readonly string Rules = Path.Combine(Tools.RepositoryRoot, "deploy", "prometheus", "alerts.yml");

    private static readonly string UnitTests = Path.Combine(Tools.RepositoryRoot, "tests", "Mimi.Discovery.Server.Tests", "Telemetry", "alerts.test.yml");

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_rules()
    {
        var (code, output) = await Tools.RunAsync(RequirePromtool(), $"check rules {Rules}");

        Assert.True(code == 0, output);
        Assert.Contains($"SUCCESS: {Alerts().Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_alert_fires_on_a_synthetic_series_of_trouble_and_stays_quiet_on_a_healthy_one()
    {
        var tested = YamlSequence(UnitTests, "tests").Cast<YamlMappingNode>()
            .SelectMany(t => ((YamlSequenceNode)t["alert_rule_test"]).Cast<YamlMappingNode>())
            .GroupBy(t => t["alertname"].ToString())
            .ToDictionary(g => g.Key, g => g.Select(t => ((YamlSequenceNode)t["exp_alerts"]).Children.Count).ToList());
        foreach (var alert in Alerts())
        {
            Assert.True(tested.TryGetValue(alert, out var expected), $"alerts.test.yml does not test {alert}");
            Assert.Contains(0, expected); // quiet somewhere
            Assert.Contains(expected, n => n > 0); // and firing somewhere
        }

        var (code, output) = await Tools.RunAsync(RequirePromtool(), "test rules alerts.test.yml", Path.GetDirectoryName(UnitTests));

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_metric_the_rules_use_is_one_the_README_lists()
    {
        var readme = File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("\n### Metrics\n", StringComparison.Ordinal);
        var metrics = readme[start..readme.IndexOf("\n### ", start + 1, StringComparison.Ordinal)];
        var used = YamlSequence(Rules, "groups").Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())
            .SelectMany(r => MetricName().Matches(r["expr"].ToString()).Select(m => m.Value))
            .Distinct().ToList();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains($"| `{name}` |", metrics, StringComparison.Ordinal));
    }

    private static List<string> Alerts() =>
        YamlSequence(Rules, "groups").Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())
            .Select(r => r["alert"].ToString()).ToList();

    private static YamlSequenceNode YamlSequence(string file, string key)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return (YamlSequenceNode)((YamlMappingNode)stream.Documents.Single().RootNode)[key];
    }

    private static string RequirePromtool() =>
        File.Exists(Promtool) ? Promtool : throw new InvalidOperationException($"{Promtool} is missing: apt-get install prometheus (./test.sh installs it).");

    [GeneratedRegex(@"\bmimi_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
