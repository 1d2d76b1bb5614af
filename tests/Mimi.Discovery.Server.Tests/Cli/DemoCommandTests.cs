namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary><c>mimi demo</c> as the README runs it: one command, the whole first-contact flow, every step printed.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_demo_runs_first_contact_end_to_end_and_the_offline_message_arrives_once()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "mimi.dll");
        // Three services, dnsmasq and node clients in one run: a minute is tight on a loaded two-core machine.
        var (code, output) = await Tools.RunAsync("dotnet", $"{cli} demo", AppContext.BaseDirectory, TimeSpan.FromMinutes(3));

        Assert.True(code == 0, output);
        var flat = string.Join(" ", output.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Contains("beta.demo answers NoConsent", flat, StringComparison.Ordinal);
        Assert.Contains("Bob's client sees a pending request from mimi://alpha.demo/u/alice", flat, StringComparison.Ordinal);
        Assert.Contains("Bob decrypts: \"hello Bob\"", flat, StringComparison.Ordinal);
        Assert.Contains("Alice decrypts: \"hi Alice\"", flat, StringComparison.Ordinal);
        Assert.Contains("Bob got it 1 time(s): \"while you were away\"", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("✗", output, StringComparison.Ordinal);
    }
}
