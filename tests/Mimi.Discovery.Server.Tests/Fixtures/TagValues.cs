using System.Text.RegularExpressions;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>What a tag of the service's instruments may hold: a known domain, a fixed kebab-case word, or a status code.</summary>
internal static partial class TagValues
{
    /// <summary>Tags whose value is a domain (enrolled provider, peer or witness): it must be one the test made.</summary>
    private static readonly HashSet<string> DomainTags = ["mimi.requester", "mimi.owner", "mimi.destination"];

    public static void AssertBounded(IEnumerable<InstrumentRecorder.Recorded> measurements, IReadOnlyCollection<string> domains, IReadOnlyCollection<string>? names = null)
    {
        foreach (var m in measurements)
        {
            foreach (var (key, value) in m.Tags)
            {
                var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                Assert.DoesNotContain("@", text);
                Assert.DoesNotContain(":", text);
                if (key == "mimi.witness")
                {
                    // A witness is named as configured (C2SP names look like "witness.example/w1").
                    Assert.Contains(text, names ?? []);
                    continue;
                }

                Assert.DoesNotContain("/", text);
                Assert.False(Regex.IsMatch(text, "[0-9]{5,}"), $"{m.Instrument} {key}={text} looks like a number or a serial");
                if (DomainTags.Contains(key))
                {
                    Assert.Contains(text, domains);
                }
                else if (key == "http.response.status_code")
                {
                    Assert.InRange(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), 100, 599);
                }
                else
                {
                    Assert.Matches(Word(), text);
                }
            }
        }
    }

    // Kebab-case words, and the MIMI endpoint names, which are camelCase (reportAbuse).
    [GeneratedRegex("^[a-z][a-zA-Z0-9-]{0,40}$")]
    private static partial Regex Word();
}
