using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi verify</c>: the relying party's offline check of a credential that proves its own log entry
/// (<see cref="CredentialVerifier"/>): chain, VRF proof, extension, commitment, index, inclusion, checkpoint, each
/// printed by name. <c>--fetch</c> first gathers the entry, its inclusion proof, the cosigned checkpoint and the VRF
/// keys from the service into the bundle file; without it, nothing is fetched.
/// </summary>
internal static class VerifyCommand
{
    public static Command Build()
    {
        var credential = new Option<string?>("--credential") { Description = "The credential JSON 'mimi issue --out' writes (with its transparency member)." };
        var bundle = new Option<string?>("--bundle") { Description = "The bundle file: written by --fetch, read otherwise (default: CREDENTIAL.bundle.json)." };
        var fetch = new Option<bool>("--fetch") { Description = "Fetch the entry, inclusion proof, witnessed checkpoint and VRF keys from --server into the bundle first." };
        var root = new Option<string>("--root") { Description = "The root certificate (PEM) credentials must chain to.", Required = true };
        var vrfKeys = new Option<string?>("--vrf-keys") { Description = "The authority's VRF keys (the JSON of /.well-known/mimi-vrf-keys.json); default: the bundle's." };
        var trust = new TrustOptions();
        trust.VerifierKey.Required = true;
        var command = new Command("verify", "Verifies a credential offline: chain, VRF proof, log entry (commitment and index), inclusion and witnessed checkpoint.")
            { credential, bundle, fetch, root, vrfKeys };
        trust.AddTo(command);
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var credentialFile = parse.GetValue(credential);
            var bundleFile = parse.GetValue(bundle) ?? (credentialFile is null ? null : credentialFile + ".bundle.json")
                ?? throw new CliException("Give --credential (with --fetch) or --bundle.");
            var checkpoints = trust.Create(parse, parse.GetValue(trust.VerifierKey)!);
            CredentialBundle evidence;
            if (parse.GetValue(fetch))
            {
                var issued = credentialFile is null
                    ? throw new CliException("--fetch needs --credential.")
                    : JsonSerializer.Deserialize<Credential>(await File.ReadAllTextAsync(credentialFile, ct), CliJson.Indented)
                      ?? throw new CliException($"'{credentialFile}' holds no credential.");
                evidence = await CredentialVerifier.FetchBundleAsync(MimiCommand.Client(parse, authenticated: false), issued, ct);
                await File.WriteAllTextAsync(bundleFile, JsonSerializer.Serialize(evidence, CliJson.Indented), ct);
                AnsiConsole.MarkupLineInterpolated($"[green]fetched[/] entry {evidence.Transparency.LogIndex}, its inclusion proof, the checkpoint and the VRF keys into {bundleFile}");
            }
            else
            {
                evidence = JsonSerializer.Deserialize<CredentialBundle>(await File.ReadAllTextAsync(bundleFile, ct), CliJson.Indented)
                           ?? throw new CliException($"'{bundleFile}' holds no bundle.");
            }

            VrfKeys? keys = null;
            if (parse.GetValue(vrfKeys) is { } keysFile)
            {
                keys = JsonSerializer.Deserialize<VrfKeys>(await File.ReadAllTextAsync(keysFile, ct), CliJson.Indented)
                       ?? throw new CliException($"'{keysFile}' holds no VRF keys.");
            }
            else
            {
                AnsiConsole.MarkupLine("[yellow]note:[/] checking the VRF proof against the keys in the bundle; pass --vrf-keys to use keys you obtained yourself.");
            }

            X509Certificate2 rootCertificate;
            try
            {
                rootCertificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(parse.GetValue(root)!, ct));
            }
            catch (CryptographicException e)
            {
                throw new CliException($"--root: not a PEM certificate ({e.Message}).");
            }

            using (rootCertificate)
            {
                var result = new CredentialVerifier(rootCertificate, checkpoints, keys).Verify(evidence);
                foreach (var check in result.Checks)
                {
                    AnsiConsole.MarkupLine(check.Passed
                        ? $"[green]✓[/] {Markup.Escape(check.Name)}: {Markup.Escape(check.Detail)}"
                        : $"[red bold]FAILED {Markup.Escape(check.Name)}:[/] {Markup.Escape(check.Detail)}");
                }

                if (!result.Ok)
                {
                    throw new CliException("verification failed: " + string.Join(", ", result.Failed.Select(c => c.Name)) + ".");
                }

                AnsiConsole.MarkupLineInterpolated($"[green]verified[/]: the credential is logged under its own identifier index at {evidence.Transparency.LogIndex}, under a witnessed checkpoint");
            }
        }));
        return command;
    }
}
