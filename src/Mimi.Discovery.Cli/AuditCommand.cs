using System.CommandLine;
using System.Text.Json;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi audit</c>: keeps the last checkpoint it trusted in a state file, fetches the new one, verifies its
/// signature and, given witness keys, a quorum of their cosignatures, consistency with the trusted one, every new entry and a random sample of the old ones, and the inclusion
/// of given credentials and of any revocation of them. Any failure of the log is loud, exits 1 and leaves the state
/// file untouched; a revoked or expired credential is reported, and exits 1 with <c>--require-live</c>.
/// </summary>
internal static class AuditCommand
{
    private static readonly JsonSerializerOptions Indented = CliJson.Indented;

    public static Command Build()
    {
        var state = new Option<string>("--state") { Description = "Audit state file (created on first run).", DefaultValueFactory = _ => "mimi-audit.json" };
        var trust = new TrustOptions();
        trust.VerifierKey.Description = "The log's note verifier key; on first run without it, the key the log publishes is trusted (TOFU).";
        var credentials = new Option<string[]>("--credential") { Description = "A credential JSON written by 'mimi issue --out' to prove included (repeatable).", AllowMultipleArgumentsPerToken = true };
        var noEntries = new Option<bool>("--no-entries") { Description = "Skip re-hashing new entries (proofs and signature only)." };
        var sample = new Option<int>("--sample")
        {
            Description = "Entries audited before to re-check each run, chosen at random (re-hashed and proved included); 0 for none.",
            DefaultValueFactory = _ => LogAuditor.DefaultSampleSize,
        };
        var requireLive = new Option<bool>("--require-live") { Description = "Exit 1 when a --credential is revoked in the log or expired." };
        var command = new Command("audit", "Audits the issuance log against the last trusted checkpoint.")
            { state, credentials, noEntries, sample, requireLive };
        trust.AddTo(command);
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var client = MimiCommand.Client(parse, authenticated: false);
            var statePath = parse.GetValue(state)!;
            var trusted = File.Exists(statePath) ? JsonSerializer.Deserialize<AuditState>(await File.ReadAllTextAsync(statePath, ct), Indented) : null;
            var key = parse.GetValue(trust.VerifierKey) ?? trusted?.VerifierKey;
            if (key is null)
            {
                key = await client.GetLogVerifierKeyAsync(ct);
                AnsiConsole.MarkupLineInterpolated($"[yellow]first audit:[/] trusting the published verifier key {key}; pass --verifier-key to pin it instead.");
            }

            var toCheck = new List<CredentialToCheck>();
            foreach (var file in parse.GetValue(credentials) ?? [])
            {
                var credential = JsonSerializer.Deserialize<Credential>(await File.ReadAllTextAsync(file, ct), Indented)
                    ?? throw new CliException($"'{file}' holds no credential.");
                toCheck.Add(CredentialToCheck.From(credential));
            }

            // Format-2 revocations are found by opening them, which the authority does for the credential's provider.
            if (toCheck.Exists(c => c.Transparency is not null) && MimiCommand.HasIdentity(parse))
            {
                client = MimiCommand.Client(parse);
            }

            var samples = parse.GetValue(sample);
            if (samples < 0)
            {
                throw new CliException("--sample is a count of entries, 0 or more.");
            }


            var report = await new LogAuditor(client).AuditAsync(trusted, trust.Create(parse, key), toCheck, !parse.GetValue(noEntries), samples, ct);
            foreach (var finding in report.Findings)
            {
                AnsiConsole.MarkupLine(finding.StartsWith("FAILED", StringComparison.Ordinal) ? $"[red bold]{Markup.Escape(finding)}[/]"
                    : finding.StartsWith("REVOKED", StringComparison.Ordinal) ? $"[yellow bold]✗[/] {Markup.Escape(finding)}"
                    : $"[green]✓[/] {Markup.Escape(finding)}");
            }

            if (!report.Ok)
            {
                throw new CliException("audit failed; the trusted state was kept as it was.");
            }

            // The log passed, so its state is kept whatever the credentials' status.
            await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(report.State, Indented), ct);
            var now = DateTimeOffset.UtcNow;
            var notLive = report.Credentials.Where(c => !c.IsLive(now)).ToList();
            foreach (var credential in notLive.Where(c => !c.IsRevoked))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow bold]✗[/] the credential at log index {credential.LogIndex} (serial {credential.Serial}) expired at {credential.NotAfter:u}");
            }

            AnsiConsole.MarkupLineInterpolated($"[green]audit passed[/]: the log is consistent; trusted state saved to {statePath}");
            if (notLive.Count > 0)
            {
                var summary = string.Join("; ", notLive.Select(c => c.IsRevoked
                    ? $"log index {c.LogIndex} (serial {c.Serial}) is revoked (log entry {c.RevocationIndex})"
                    : $"log index {c.LogIndex} (serial {c.Serial}) is expired"));
                if (parse.GetValue(requireLive))
                {
                    throw new CliException($"--require-live: {summary}.");
                }

                AnsiConsole.MarkupLineInterpolated($"[yellow]not live:[/] {summary}");
            }
        }));
        return command;
    }
}
