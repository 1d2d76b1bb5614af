using System.Reflection;
using System.Text.RegularExpressions;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Tests.Hosting;

public sealed partial class ProblemKindsTests
{
    private static readonly string ServerSources = Path.Combine(Tools.RepositoryRoot, "src", "Mimi.Discovery.Server");

    [Fact]
    public void Every_problem_kind_is_documented_in_the_README_errors_table_and_every_documented_kind_exists()
    {
        var constants = Kinds();
        var documented = DocumentedKinds();

        Assert.Empty(constants.Except(documented));
        Assert.Empty(documented.Except(constants));
    }

    [Fact]
    public void No_server_source_names_a_problem_kind_outside_the_list()
    {
        var kinds = Kinds();
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(ServerSources, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(ServerSources, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal)
                || relative == Path.Combine("Hosting", "ProblemKinds.cs"))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match literal in StringLiteral().Matches(lines[i]))
                {
                    var text = literal.Groups[1].Value;
                    // A kind spelled out, a kind put together ("oauth-" + …), or a whole problem type URI.
                    if (kinds.Contains(text) || text.StartsWith("oauth-", StringComparison.Ordinal) || TypeUri().IsMatch(text))
                    {
                        found.Add($"{relative}:{i + 1}: \"{text}\"");
                    }
                }
            }
        }

        Assert.Empty(found);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(405)]
    [InlineData(412)]
    [InlineData(503)]
    [InlineData(504)]
    public void A_status_the_framework_sets_maps_to_a_listed_kind(int status) =>
        Assert.Contains(Problems.KindForStatus(status), Kinds());

    private static HashSet<string> Kinds() =>
        typeof(ProblemKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(ProblemKinds.TypePrefix))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    // The table headed "type `urn:mimi-discovery:problem:…`": its first column lists one kind, or several joined by "·".
    private static HashSet<string> DocumentedKinds()
    {
        var lines = File.ReadAllLines(Path.Combine(Tools.RepositoryRoot, "README.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| type `" + ProblemKinds.TypePrefix, StringComparison.Ordinal));
        Assert.True(header >= 0, "README has no problem type table");
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var first = row.Split('|')[1];
            foreach (Match kind in BacktickedKind().Matches(first))
            {
                Assert.True(kinds.Add(kind.Groups[1].Value), $"{kind.Groups[1].Value} is documented twice");
            }
        }

        return kinds;
    }

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("problem:[a-z]")]
    private static partial Regex TypeUri();

    [GeneratedRegex("`([a-z0-9-]+)`")]
    private static partial Regex BacktickedKind();
}
