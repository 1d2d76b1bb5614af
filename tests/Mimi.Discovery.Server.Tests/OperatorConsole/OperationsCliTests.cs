using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.OperatorConsole;

/// <summary>The operator's CLI verbs behind the console's pages, run as the operator runs them, against their APIs.</summary>
public sealed class OperationsCliTests : IDisposable
{
    private readonly CliSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task Console_traffic_issuances_quotas_and_log_state_print_what_the_service_holds()
    {
        var (alpha, _) = await _session.Service.EnrolAsync("alpha.test");
        var (beta, _) = await _session.Service.EnrolAsync("beta.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("bob");
        var credential = await beta.IssueCredentialAsync("tel:+15550001111", "mimi://beta.test/u/bob", user.SubjectPublicKeyInfo, attested: true);
        await beta.RevokeCredentialAsync(credential.Serial, "keyCompromise");
        await alpha.LookupAsync(["tel:+15550001111"]);
        await beta.SetQuotasAsync(new OwnerQuotas(7, null, null, null, 3600));

        var link = await _session.MimiAsync($"console {_session.OperatorOptions}");
        Assert.Matches(@"http://127\.0\.0\.1:\d+/console/sign-in#[A-Za-z0-9_-]{43}", link);

        var traffic = await _session.MimiAsync($"traffic --minutes 5 {_session.OperatorOptions}");
        Assert.Contains("alpha.test", traffic, StringComparison.Ordinal);
        Assert.Contains("none", traffic, StringComparison.Ordinal);

        var issued = await _session.MimiAsync($"issuances {_session.OperatorOptions}");
        Assert.Contains(credential.Serial, issued, StringComparison.Ordinal);
        Assert.DoesNotContain("15550001111", issued, StringComparison.Ordinal);
        var revoked = await _session.MimiAsync($"issuances --revoked {_session.OperatorOptions}");
        Assert.Contains("keyCompromise", revoked, StringComparison.Ordinal);

        var quotas = await _session.MimiAsync($"quotas {_session.OperatorOptions}");
        Assert.Matches(@"beta\.test\s*│\s*owner\s*│\s*7", quotas);
        Assert.Matches(@"alpha\.test\s*│\s*default", quotas);

        var log = await _session.MimiAsync($"log-state {_session.OperatorOptions}");
        Assert.Contains("size 2", log, StringComparison.Ordinal);

        // Operator verbs: a provider's key is refused.
        await _session.MimiAsync("traffic --client-id alpha.test --key missing.key", expectedExitCode: 1);
    }
}
