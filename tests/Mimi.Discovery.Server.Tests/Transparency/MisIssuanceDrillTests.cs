using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Transparency;

/// <summary>
/// The mis-issuance drill (issue 13), end to end on PostgreSQL with a real witness process: the rogue authority and the
/// everyday mis-issuance are caught by beta's monitor in one pass; a credential logged under another index or not at all
/// fails the relying party's check by name; a forked checkpoint fails the witness quorum or consistency, and the witness
/// refuses to cosign a rewritten history.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MisIssuanceDrillTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Bob = "tel:+15550001111";
    private const string Carol = "tel:+15550002222";

    private AccountableService _log = null!;

    public async Task InitializeAsync() => _log = await AccountableService.StartAsync(postgres);

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task Rogue_authority_writing_bobs_number_to_evil_test_through_storage_is_alerted_by_betas_monitor_in_one_pass()
    {
        var (beta, _) = await _log.EnrolAsync("beta.test");
        var bob = await AccountableService.IssueAsync(beta, Bob, "mimi://beta.test/u/bob");
        await _log.WaitCosignedAsync(bob.LogIndex + 1);
        var monitor = new LogMonitor(beta, "beta.test", _log.Trust);
        var first = await monitor.RunAsync(null, []);
        Assert.True(first.LogVerified, string.Join("\n", first.Checks));
        Assert.Empty(first.Alerts);
        Assert.Equal(bob.LogIndex, Assert.Single(first.Findings).LogIndex);

        // Straight through storage, under Bob's real index: one with its opening stored, one the authority will not open.
        var rogue = _log.Forge(Bob, "mimi://evil.test/u/mallory", "evil.test");
        var (rogueIndex, _) = await _log.LogAsync(rogue, rogue.Index);
        var unopened = _log.Forge(Bob, "mimi://evil.test/u/eve", "evil.test");
        var (unopenedIndex, _) = await _log.LogAsync(unopened, unopened.Index, storeOpening: false);
        // A spelling every entry reader accepts but a byte search for the canonical member would miss.
        var disguised = _log.Forge(Bob, "mimi://evil.test/u/trudy", "evil.test");
        var (disguisedIndex, _) = await _log.LogAsync(disguised, disguised.Index,
            rewrite: e => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(e).Replace("\"identifierIndex\"", "\"identifier\\u0049ndex\"", StringComparison.Ordinal)));
        await _log.WaitCosignedAsync(disguisedIndex + 1);

        var second = await monitor.RunAsync(first.State, []);

        Assert.True(second.LogVerified, string.Join("\n", second.Checks));
        var alerts = second.Alerts.ToDictionary(a => a.LogIndex);
        Assert.Equal(3, alerts.Count);
        Assert.Equal("mimi://evil.test/u/trudy", alerts[disguisedIndex].Ssi);
        Assert.Equal("evil.test", alerts[rogueIndex].Provider);
        Assert.Equal("mimi://evil.test/u/mallory", alerts[rogueIndex].Ssi);
        Assert.Contains("issued to another provider: evil.test", alerts[rogueIndex].Reason);
        Assert.Contains("refuses to open", alerts[unopenedIndex].Reason);
        Assert.All(alerts.Values, a => Assert.Equal(Bob, a.Identifier));
        Assert.Equal(disguisedIndex + 1, second.State!.Size);

        // An identifier beta starts to hold later is scanned from the start: an entry written for it before is found.
        const string dave = "tel:+15550003333";
        var early = _log.Forge(dave, "mimi://evil.test/u/mallory", "evil.test");
        var (earlyIndex, _) = await _log.LogAsync(early, early.Index);
        var daveCredential = await AccountableService.IssueAsync(beta, dave, "mimi://beta.test/u/dave");
        await _log.WaitCosignedAsync(daveCredential.LogIndex + 1);

        var third = await monitor.RunAsync(second.State, []);

        Assert.True(third.LogVerified, string.Join("\n", third.Checks));
        var daveAlert = Assert.Single(third.Alerts);
        Assert.Equal((dave, earlyIndex, "evil.test"), (daveAlert.Identifier, daveAlert.LogIndex, daveAlert.Provider));
        Assert.Contains(third.Findings, f => !f.Alert && f.LogIndex == daveCredential.LogIndex);
        Assert.DoesNotContain(third.Findings, f => f.Identifier == Bob);
    }

    [Fact]
    public async Task Mimi_monitor_reports_betas_own_entries_as_expected_then_exits_1_with_an_alert_line_naming_the_provider_that_attested_bobs_number()
    {
        var (beta, betaKey) = await _log.EnrolAsync("beta.test");
        var (alpha, _) = await _log.EnrolAsync("alpha.test");
        var bobFirst = await AccountableService.IssueAsync(beta, Bob, "mimi://beta.test/u/bob");
        var carol = await AccountableService.IssueAsync(beta, Carol, "mimi://beta.test/u/carol");
        var bobNow = await AccountableService.IssueAsync(beta, Bob, "mimi://beta.test/u/bob");
        var revoked = await beta.RevokeCredentialAsync(bobFirst.Serial, "superseded");
        await _log.WaitCosignedAsync(revoked.RevocationLogIndex!.Value + 1);
        var monitor = $"monitor --client-id beta.test --key {betaKey} --state beta-monitor.json --verifier-key {_log.LogKey} --witness-key {_log.WitnessKey} --quorum 1"
                      + " --on-alert \"echo $MIMI_ALERT_LOG_INDEX $MIMI_ALERT_TYPE $MIMI_ALERT_PROVIDER $MIMI_ALERT_IDENTIFIER >> alerts.txt\"";

        // The quiet case: beta's own issuances and its revocation, all expected.
        var (quietCode, quiet) = await _log.RunMimiAsync(monitor);

        Assert.True(quietCode == 0, quiet);
        Assert.DoesNotContain("ALERT", quiet);
        foreach (var index in new[] { bobFirst.LogIndex, carol.LogIndex, bobNow.LogIndex, revoked.RevocationLogIndex.Value })
        {
            Assert.Contains($"entry {index} (", quiet);
        }

        Assert.Contains("revocation of this provider's credential", quiet);
        Assert.False(File.Exists(Path.Combine(_log.Work, "alerts.txt")));

        // The everyday case, through the API alone: a trusted provider attests Bob's number for one of its own users.
        var attested = await AccountableService.IssueAsync(alpha, Bob, "mimi://alpha.test/u/bobby");
        await _log.WaitCosignedAsync(attested.LogIndex + 1);

        var (code, output) = await _log.RunMimiAsync(monitor);

        Assert.True(code == 1, output);
        var alert = Assert.Single(output.Split('\n'), l => l.StartsWith("ALERT", StringComparison.Ordinal));
        Assert.StartsWith($"ALERT {Bob} entry {attested.LogIndex} (issuance", alert);
        Assert.Contains("alpha.test", alert);
        Assert.Equal($"{attested.LogIndex} issuance alpha.test {Bob}", (await File.ReadAllTextAsync(Path.Combine(_log.Work, "alerts.txt"))).Trim());

        // Raised once: the next pass starts after it, and says so in JSON.
        var (again, json) = await _log.RunMimiAsync(monitor + " --json");
        Assert.True(again == 0, json);
        using var report = JsonDocument.Parse(json);
        Assert.True(report.RootElement.GetProperty("logVerified").GetBoolean());
        Assert.Equal(0, report.RootElement.GetProperty("alerts").GetInt32());
        Assert.Equal(attested.LogIndex + 1, report.RootElement.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task A_credential_logged_under_another_index_fails_index_and_one_not_logged_fails_inclusion_while_bobs_own_passes_every_check()
    {
        var (beta, _) = await _log.EnrolAsync("beta.test");
        var anonymous = _log.Service.Anonymous();
        var bob = await AccountableService.IssueAsync(beta, Bob, "mimi://beta.test/u/bob");

        // Logged under another index: a real certificate with Bob's proof, its entry under Carol's index.
        var misfiled = _log.Forge(Bob, "mimi://evil.test/u/mallory", "evil.test");
        var (misfiledIndex, misfiledOpening) = await _log.LogAsync(misfiled, _log.IndexOf(Carol));
        // Not logged: the rogue shows a self-consistent entry (Bob's index, a commitment that opens) that is not in the tree.
        var unlogged = _log.Forge(Bob, "mimi://evil.test/u/eve", "evil.test");
        var (fakeEntry, fakeOpening) = IndexedLogEntries.Issuance(DateTimeOffset.UtcNow, unlogged.VrfKey, unlogged.Index, Bob, unlogged.Value);
        await _log.WaitCosignedAsync(misfiledIndex + 1);

        using var root = X509CertificateLoader.LoadCertificate(_log.Service.Services.GetRequiredService<CertificateAuthority>().RootCertificate);
        var verifier = new CredentialVerifier(root, _log.Trust, await anonymous.GetVrfKeysAsync());
        var honest = verifier.Verify(await CredentialVerifier.FetchBundleAsync(anonymous, bob));
        var wrongIndex = verifier.Verify(await CredentialVerifier.FetchBundleAsync(anonymous, misfiled.AsReceived(misfiledIndex, misfiledOpening.Opening)));
        var notLogged = verifier.Verify(await CredentialVerifier.FetchBundleAsync(anonymous, unlogged.AsReceived(misfiledIndex, fakeOpening.Opening))
            with
        { Entry = Convert.ToBase64String(fakeEntry) });

        Assert.True(honest.Ok, string.Join("\n", honest.Checks));
        Assert.Equal(["chain", "vrf-proof", "extension", "commitment", "index", "inclusion", "checkpoint"], honest.Checks.Select(c => c.Name));
        Assert.Equal([CredentialCheck.Index], wrongIndex.Failed.Select(c => c.Name));
        Assert.Contains("logged under another identifier", wrongIndex[CredentialCheck.Index].Detail);
        Assert.Equal([CredentialCheck.Inclusion], notLogged.Failed.Select(c => c.Name));

        // Untrusted input: a bundle mutated anywhere is reported on (every check, or the certificate that does not parse), never thrown on.
        var bundle = await CredentialVerifier.FetchBundleAsync(anonymous, bob);
        var random = new Random(13);
        var failed = 0;
        for (var i = 0; i < 300; i++)
        {
            var verdict = verifier.Verify(Mutate(bundle, random));
            Assert.Contains(verdict.Checks.Count, new[] { 1, 7 });
            failed += verdict.Ok ? 0 : 1;
        }

        // A few flips only touch base64 padding bits or PEM line layout; nearly all must fail.
        Assert.True(failed > 250, $"only {failed} of 300 mutated bundles failed verification");

        // The same through mimi verify: --fetch writes the bundle, each failed check is printed by name, exit 1.
        await File.WriteAllTextAsync(Path.Combine(_log.Work, "root.pem"), root.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_log.Work, "bob.json"), JsonSerializer.Serialize(bob, JsonSerializerOptions.Web));
        await File.WriteAllTextAsync(Path.Combine(_log.Work, "misfiled.json"),
            JsonSerializer.Serialize(misfiled.AsReceived(misfiledIndex, misfiledOpening.Opening), JsonSerializerOptions.Web));
        var trust = $"--root root.pem --verifier-key {_log.LogKey} --witness-key {_log.WitnessKey} --quorum 1";

        var (okCode, okOutput) = await _log.RunMimiAsync($"verify --credential bob.json --fetch {trust}");
        var (offlineCode, offlineOutput) = await _log.RunMimiAsync($"verify --bundle bob.json.bundle.json {trust}");
        var (badCode, badOutput) = await _log.RunMimiAsync($"verify --credential misfiled.json --fetch {trust}");

        Assert.True(okCode == 0, okOutput);
        Assert.True(offlineCode == 0, offlineOutput);
        Assert.True(badCode == 1, badOutput);
        Assert.Contains("FAILED index:", badOutput);
        Assert.DoesNotContain("FAILED chain", badOutput);
        Assert.Contains("verification failed: index.", badOutput);
    }

    [Fact]
    public async Task A_forked_checkpoint_shown_to_one_monitor_fails_the_witness_quorum_or_consistency_and_the_witness_refuses_to_cosign_it()
    {
        var (beta, betaKey) = await _log.EnrolAsync("beta.test");
        var bob = await AccountableService.IssueAsync(beta, Bob, "mimi://beta.test/u/bob");
        var cosigned = await _log.WaitCosignedAsync(bob.LogIndex + 1);
        var first = await new LogMonitor(beta, "beta.test", _log.Trust).RunAsync(null, []);
        Assert.True(first.LogVerified, string.Join("\n", first.Checks));

        // The log's own key signs a second history, shown to this one client only.
        var signer = _log.Service.Services.GetRequiredService<ServiceKeys>().LogSigner;
        var forkedRoot = RandomNumberGenerator.GetBytes(32);
        var ahead = SignedNote.Sign(new Checkpoint(AccountableService.Origin, cosigned.Size + 1, forkedRoot).Format(), signer);
        var sameSize = SignedNote.Sign(new Checkpoint(AccountableService.Origin, cosigned.Size, forkedRoot).Format(), signer);
        var credentials = ClientCredentials.Load("beta.test", betaKey);
        MimiDiscoveryClient Shown(string note) => new(new HttpClient(new ForkedCheckpoint(note)) { BaseAddress = new Uri($"http://127.0.0.1:{_log.Port}") }, credentials);

        var withWitness = await new LogMonitor(Shown(ahead), "beta.test", _log.Trust).RunAsync(first.State, []);
        var logKeyOnly = CheckpointTrust.Create(_log.LogKey, [], 0);
        var aheadNoWitness = await new LogMonitor(Shown(ahead), "beta.test", logKeyOnly).RunAsync(first.State, []);
        var sameSizeNoWitness = await new LogMonitor(Shown(sameSize), "beta.test", logKeyOnly).RunAsync(first.State, []);

        Assert.False(withWitness.LogVerified);
        Assert.Contains(withWitness.Checks, c => c.StartsWith("FAILED", StringComparison.Ordinal) && c.Contains("quorum not met"));
        Assert.Null(withWitness.State);
        Assert.Contains(aheadNoWitness.Checks, c => c.StartsWith("FAILED", StringComparison.Ordinal) && c.Contains("consistency proof"));
        Assert.Contains(sameSizeNoWitness.Checks, c => c.StartsWith("FAILED", StringComparison.Ordinal) && c.Contains("forked"));

        // The witness, shown the rewritten history at its own size, refuses to cosign it and keeps cosigning the real one.
        using var http = new HttpClient();
        var refused = await http.PostAsync(_log.WitnessUrl, new StringContent(new AddCheckpointRequest(cosigned.Size, [], sameSize).Format(), Encoding.UTF8));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var carol = await AccountableService.IssueAsync(beta, Carol, "mimi://beta.test/u/carol");
        await _log.WaitCosignedAsync(carol.LogIndex + 1);
        var later = await new LogMonitor(beta, "beta.test", _log.Trust).RunAsync(first.State, []);
        Assert.True(later.LogVerified, string.Join("\n", later.Checks));
    }

    /// <summary>One field of the bundle changed: a character of a text flipped, cut short, or a number moved.</summary>
    private static CredentialBundle Mutate(CredentialBundle b, Random random)
    {
        string Flip(string text)
        {
            if (text.Length == 0)
            {
                return "A";
            }

            var chars = text.ToCharArray();
            var at = random.Next(chars.Length);
            chars[at] = chars[at] == 'A' ? 'B' : 'A';
            return random.Next(4) == 0 ? new string(chars)[..random.Next(chars.Length)] : new string(chars);
        }

        var t = b.Transparency;
        return random.Next(11) switch
        {
            0 => b with { Certificate = Flip(b.Certificate) },
            1 => b with { Entry = Flip(b.Entry!) },
            2 => b with { Checkpoint = Flip(b.Checkpoint) },
            3 => b with { Transparency = t with { VrfProof = Flip(t.VrfProof) } },
            4 => b with { Transparency = t with { Opening = Flip(t.Opening) } },
            5 => b with { Transparency = t with { Value = Flip(t.Value) } },
            6 => b with { Transparency = t with { IdentifierIndex = Flip(t.IdentifierIndex) } },
            7 => b with { Transparency = t with { LogIndex = t.LogIndex + random.Next(1, 3) } },
            8 => b with { InclusionProof = b.InclusionProof! with { Hashes = [.. b.InclusionProof.Hashes.Select((h, i) => i == 0 ? Flip(h) : h)] } },
            9 => b with { Transparency = t with { VrfKey = Flip(t.VrfKey) } },
            _ => b with { Entry = null, InclusionProof = null },
        };
    }

    /// <summary>A log showing one client its own checkpoint, and the real everything else.</summary>
    private sealed class ForkedCheckpoint(string note) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath == "/log/checkpoint"
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(note) })
                : base.SendAsync(request, cancellationToken);
    }
}
