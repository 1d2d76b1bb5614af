using System.CommandLine;
using System.Text.Json;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi audit</c>: keeps the last checkpoint it trusted in a state file, fetches the new one, verifies its
/// signature, consistency with the trusted one and every new entry, and the inclusion of given credentials. Any
/// failure is loud, exits 1 and leaves the state file untouched.
/// </summary>
internal static class AuditCommand
{
    private static readonly JsonSerializerOptions Indented = CliJson.Indented;

    public static Command Build()
    {
        var state = new Option<string>("--state") { Description = "Audit state file (created on first run).", DefaultValueFactory = _ => "mimi-audit.json" };
        var verifierKey = new Option<string?>("--verifier-key") { Description = "The log's note verifier key; on first run without it, the key the log publishes is trusted (TOFU)." };
        var credentials = new Option<string[]>("--credential") { Description = "A credential JSON written by 'mimi issue --out' to prove included (repeatable).", AllowMultipleArgumentsPerToken = true };
        var noEntries = new Option<bool>("--no-entries") { Description = "Skip re-hashing new entries (proofs and signature only)." };
        var command = new Command("audit", "Audits the issuance log against the last trusted checkpoint.") { state, verifierKey, credentials, noEntries };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var client = MimiCommand.Client(parse, authenticated: false);
            var statePath = parse.GetValue(state)!;
            var trusted = File.Exists(statePath) ? JsonSerializer.Deserialize<AuditState>(await File.ReadAllTextAsync(statePath, ct), Indented) : null;
            var key = parse.GetValue(verifierKey) ?? trusted?.VerifierKey;
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
                toCheck.Add(new CredentialToCheck(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(credential.Certificate).RawData, credential.LogIndex));
            }

            var report = await new LogAuditor(client).AuditAsync(trusted, key, toCheck, !parse.GetValue(noEntries), ct);
            foreach (var finding in report.Findings)
            {
                AnsiConsole.MarkupLine(finding.StartsWith("FAILED", StringComparison.Ordinal) ? $"[red bold]{Markup.Escape(finding)}[/]" : $"[green]✓[/] {Markup.Escape(finding)}");
            }

            if (!report.Ok)
            {
                throw new CliException("audit failed; the trusted state was kept as it was.");
            }

            await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(report.State, Indented), ct);
            AnsiConsole.MarkupLineInterpolated($"[green]audit passed[/]; trusted state saved to {statePath}");
        }));
        return command;
    }
}
