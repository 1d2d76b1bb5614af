using System.CommandLine;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Transparency;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi witness</c>: the witness role of C2SP tlog-witness, for another organisation to run. <c>init</c> creates its
/// Ed25519 key; <c>serve</c> answers <c>POST /add-checkpoint</c> for the logs it is given, keeping per log the latest
/// checkpoint it cosigned in a state file, and cosigning (C2SP tlog-cosignature) only checkpoints consistent with it.
/// </summary>
internal static class WitnessCommand
{
    public static Command Build()
    {
        return new Command("witness", "The witness role: cosigns checkpoints of the logs it watches, refusing any that rewrites history.") { Init(), Serve() };
    }

    private static Command Init()
    {
        var name = new Option<string>("--name") { Description = "The witness's key name, a schema-less URL naming it (e.g. witness.example/w1).", Required = true };
        var key = new Option<string>("--key") { Description = "Key file to create (mode 0600); an existing file is not overwritten.", Required = true };
        var command = new Command("init", "Creates a witness key (Ed25519, cosignature/v1) and prints its verifier key.") { name, key };
        command.SetAction((parse, _) => MimiCommand.RunAsync(() =>
        {
            Cosigner cosigner;
            try
            {
                cosigner = Cosigner.Generate(parse.GetValue(name)!);
            }
            catch (ArgumentException)
            {
                throw new CliException("--name is a key name: non-empty, without spaces or '+'.");
            }

            var path = parse.GetValue(key)!;
            SecretFiles.Write(path, cosigner.SignerKey + "\n");
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {path} (private, 0600); give logs and clients this verifier key:");
            Console.WriteLine(cosigner.VerifierKey);
            return Task.CompletedTask;
        }));
        return command;
    }

    private static Command Serve()
    {
        var key = new Option<string>("--key") { Description = "The witness key file 'mimi witness init' wrote (mode 0600).", Required = true };
        var state = new Option<string>("--state") { Description = "State file: the latest checkpoint cosigned per log (created when missing).", Required = true };
        var log = new Option<string[]>("--log") { Description = "A log to witness, ORIGIN=VERIFIERKEY (repeatable).", AllowMultipleArgumentsPerToken = true };
        var logs = new Option<string?>("--logs") { Description = "A file of logs to witness, one ORIGIN=VERIFIERKEY per line ('#' starts a comment)." };
        var listen = new Option<string>("--listen") { Description = "The address to serve on.", DefaultValueFactory = _ => "http://127.0.0.1:7380" };
        var command = new Command("serve", "Serves POST /add-checkpoint (C2SP tlog-witness) until stopped.") { key, state, log, logs, listen };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var keyFile = parse.GetValue(key)!;
            if (!Cosigner.TryParseSignerKey(SecretFiles.Read(keyFile).Trim(), out var cosigner))
            {
                throw new CliException($"'{keyFile}' holds no witness key (PRIVATE+KEY+name+keyid+base64(0x04 ‖ seed)); create one with 'mimi witness init'.");
            }

            var lines = (parse.GetValue(log) ?? []).Select(l => ("--log", l)).ToList();
            if (parse.GetValue(logs) is { } file)
            {
                lines.AddRange(File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => (file, l)));
            }

            var accepted = lines.Select(l => ParseLog(l.Item1, l.Item2)).ToList();
            if (accepted.Count == 0)
            {
                throw new CliException("Give at least one log to witness: --log ORIGIN=VERIFIERKEY or --logs FILE.");
            }

            var url = parse.GetValue(listen)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new CliException($"--listen '{url}' is not an http(s) address.");
            }

            using var stateFile = WitnessStateFile.Open(parse.GetValue(state)!);
            var witness = new Witness(cosigner, accepted, stateFile);
            await WitnessServer.RunAsync(witness, url, ct);
        }));
        return command;
    }

    private static KeyValuePair<string, NoteVerifier> ParseLog(string source, string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !NoteVerifier.TryParse(text[(equals + 1)..], out var verifier))
        {
            throw new CliException($"{source}: '{text}' is not ORIGIN=VERIFIERKEY with the log's note verifier key (name+keyid+base64).");
        }

        return new(text[..equals], verifier);
    }
}
