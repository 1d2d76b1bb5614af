using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>
/// Operators filter and alert on event ids, so an id names one event across the whole product: each project and each
/// Server module numbers its <c>[LoggerMessage]</c> events in a range of its own, listed once in the README
/// ("Log event ids") and here, and this test keeps the code, this table and the README in step.
/// </summary>
public sealed partial class LogEventIdTests
{
    /// <summary>Ranges by namespace; a type's events belong to the longest namespace that contains it.</summary>
    private static readonly IdRange[] Ranges =
    [
        new(1000, 1099, "Mimi.Discovery.Server.Purge"),
        new(1100, 1199, "Mimi.Discovery.Server.Authentication"),
        new(1300, 1599, "Mimi.Discovery.Server.Authority"),
        new(1600, 1699, "Mimi.Discovery.RateLimiting"),
        new(1700, 1899, "Mimi.Discovery.Server.Lookup"),
        new(1900, 1999, "Mimi.Discovery.Server.Hosting"),
        new(2000, 2099, "Mimi.Discovery.Server.Telemetry"),
        new(2100, 2199, "Mimi.Discovery.Server.Audit"),
        new(2200, 2299, "Mimi.Discovery.Server.OperatorConsole"),
        new(4000, 4099, "Mimi.Discovery.Server.Peers"),
        new(4100, 4199, "Mimi.Discovery.Resolution"),
        new(5000, 5999, "Mimi.Discovery.Server.Consent"),
        new(6000, 6999, "Mimi.Discovery.Server.Delivery"),
        new(7300, 7399, "Mimi.Discovery.Storage"),
        new(7400, 7499, "Mimi.Discovery.Server.Log"),
        new(8000, 8099, "Mimi.Discovery.Client"),
        new(8100, 8199, "Mimi.Discovery.Cli"),
    ];

    [Fact]
    public void Regression_log_event_ids_reused_across_projects()
    {
        var reused = Events().GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();

        Assert.True(reused.Count == 0, "Event ids used more than once:\n" + string.Join("\n", reused));
    }

    [Fact]
    public void Every_event_id_lies_in_the_range_of_its_project_or_module()
    {
        var misplaced = new List<string>();
        foreach (var (id, method, type) in Events())
        {
            var module = ModuleOf(type);
            var range = Ranges.Where(r => module == r.Namespace || module.StartsWith(r.Namespace + ".", StringComparison.Ordinal))
                .MaxBy(r => r.Namespace.Length);
            if (range is null)
            {
                misplaced.Add($"{method} ({id}): no range for {module}; add one to the README's \"Log event ids\" and to this test");
            }
            else if (id < range.First || id > range.Last)
            {
                misplaced.Add($"{method} ({id}): outside {range.First}–{range.Last} of {range.Namespace}");
            }
        }

        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));
    }

    [Fact]
    public void The_README_lists_the_same_ranges()
    {
        var readme = File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("\n## Log event ids", StringComparison.Ordinal);
        Assert.True(start >= 0, "The README has no \"## Log event ids\" section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        var listed = RangeRow().Matches(section)
            .Select(m => new IdRange(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value))
            .ToList();

        Assert.Equal(Ranges, listed);
        Assert.DoesNotContain(Ranges.Zip(Ranges.Skip(1)), pair => pair.First.Last >= pair.Second.First);
    }

    /// <summary>Every <c>[LoggerMessage]</c> in the product: the assemblies built from the projects under <c>src/</c>.</summary>
    private static IEnumerable<(int Id, string Method, Type Type)> Events() =>
        from project in Directory.GetFiles(Path.Combine(Tools.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
        let name = XDocument.Load(project).Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(project)
        let assembly = Assembly.Load(name)
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (attribute.EventId, $"{type.FullName}.{method.Name}", type);

    /// <summary>The namespace a type's events are numbered under.</summary>
    private static string ModuleOf(Type type)
    {
        var outermost = type;
        while (outermost.DeclaringType is { } declaring)
        {
            outermost = declaring;
        }

        return outermost.Namespace ?? string.Empty;
    }

    [GeneratedRegex(@"^\| (\d+)–(\d+) \| `([\w.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex RangeRow();

    private sealed record IdRange(int First, int Last, string Namespace);
}
