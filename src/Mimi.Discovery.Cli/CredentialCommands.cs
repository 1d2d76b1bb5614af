using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Mimi.Discovery.Authority;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi challenge</c>, <c>mimi issue</c>, <c>mimi revoke</c>: a provider binding its users' identifiers.</summary>
internal static class CredentialCommands
{
    public static Command Challenge()
    {
        var sii = new Option<string>("--sii") { Description = "The identifier to prove: tel:+…, mailto:…, im:handle@domain.", Required = true };
        var ssi = new Option<string>("--ssi") { Description = "The provider's user: mimi://DOMAIN/u/NAME.", Required = true };
        var command = new Command("challenge", "Sends a one-time code to an identifier (as a provider).") { sii, ssi };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var challenge = await MimiCommand.Client(parse).CreateChallengeAsync(parse.GetValue(sii)!, parse.GetValue(ssi)!, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]code sent[/] by {challenge.Channel}; challenge [bold]{challenge.ChallengeId}[/], expires {challenge.ExpiresAt:u}");
        }));
        return command;
    }

    public static Command Issue()
    {
        var sii = new Option<string>("--sii") { Description = "The identifier to bind.", Required = true };
        var ssi = new Option<string>("--ssi") { Description = "The provider's user: mimi://DOMAIN/u/NAME.", Required = true };
        var publicKey = new Option<string>("--public-key") { Description = "The user's public key, PEM SubjectPublicKeyInfo (P-256 or Ed25519).", Required = true };
        var challenge = new Option<string?>("--challenge") { Description = "Challenge id from 'mimi challenge'." };
        var code = new Option<string?>("--code") { Description = "The one-time code the user received." };
        var attest = new Option<bool>("--attest") { Description = "Attest control instead (trusted providers only)." };
        var tags = new Option<string[]>("--tag") { Description = "Preference tag (repeatable).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Write the credential as JSON to this file (for 'mimi audit --credential')." };
        var command = new Command("issue", "Issues a credential binding an identifier to a user (as a provider).")
            { sii, ssi, publicKey, challenge, code, attest, tags, output };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var pem = await File.ReadAllTextAsync(parse.GetValue(publicKey)!, ct);
            using var key = PemKey(pem);
            var credential = await MimiCommand.Client(parse).IssueCredentialAsync(parse.GetValue(sii)!, parse.GetValue(ssi)!, key,
                parse.GetValue(tags), parse.GetValue(challenge), parse.GetValue(code), parse.GetValue(attest), ct);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(credential, CliJson.Indented), ct);
            }

            AnsiConsole.MarkupLineInterpolated($"[green]issued[/] serial {credential.Serial}, log index {credential.LogIndex}, valid until {credential.NotAfter:u}");
            Console.WriteLine(credential.Certificate);
        }));
        return command;
    }

    public static Command Revoke()
    {
        var serial = new Argument<string>("serial") { Description = "Serial of the credential (hex, either case; colons between bytes allowed, as openssl prints it)." };
        var reason = new Option<string>("--reason") { Description = "unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn.", DefaultValueFactory = _ => "unspecified" };
        var command = new Command("revoke", "Revokes a credential (its provider or the operator).") { serial, reason };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var text = parse.GetValue(serial)!;
            // The same normalization as the service's routes: upper case as openssl prints it, colons, leading zeros.
            if (!CredentialSerial.TryParse(text, out var parsed, out var error))
            {
                throw new CliException($"serial '{text}': {error}");
            }

            var credential = await MimiCommand.Client(parse).RevokeCredentialAsync(parsed.Value, parse.GetValue(reason)!, ct);
            AnsiConsole.MarkupLineInterpolated($"[yellow]revoked[/] {credential.Serial} at {credential.RevokedAt:u}, log index {credential.RevocationLogIndex}");
        }));
        return command;
    }

    private static DisposableBytes PemKey(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var found) || pem[found.Label] != "PUBLIC KEY")
        {
            throw new CliException("--public-key must be a PEM 'PUBLIC KEY' (SubjectPublicKeyInfo) file, e.g. the .pub that 'mimi keys generate' writes.");
        }

        return new DisposableBytes(Convert.FromBase64String(pem[found.Base64Data]));
    }

    private sealed class DisposableBytes(byte[] bytes) : IDisposable
    {
        public static implicit operator byte[](DisposableBytes d) => d._bytes;

        private readonly byte[] _bytes = bytes;

        public void Dispose() => CryptographicOperations.ZeroMemory(_bytes);
    }
}
