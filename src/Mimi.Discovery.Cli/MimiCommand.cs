using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>The <c>mimi</c> command line: CA ceremony, keys, providers, issuance, revocation and the log audit.</summary>
internal static class MimiCommand
{
    private static readonly Option<string> Server = new("--server")
    {
        Description = "Service URL (env MIMI_SERVER).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MIMI_SERVER") ?? "http://127.0.0.1:5080",
    };

    private static readonly Option<string?> ClientId = new("--client-id")
    {
        Description = "Client id: a provider domain or the operator id (env MIMI_CLIENT_ID; default 'operator').",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MIMI_CLIENT_ID"),
    };

    private static readonly Option<string?> Key = new("--key")
    {
        Description = "Private key (PEM) the client signs its assertions with (env MIMI_KEY; default data/keys/operator.key).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MIMI_KEY"),
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Mimi.Discovery: identity authority, issuance log and discovery for MIMI providers.");
        root.Add(Server);
        root.Add(ClientId);
        root.Add(Key);
        root.Add(CaCommands.Build());
        root.Add(KeysCommand());
        root.Add(ProviderCommands.Build());
        root.Add(CredentialCommands.Challenge());
        root.Add(CredentialCommands.Issue());
        root.Add(CredentialCommands.Revoke());
        root.Add(ImportCommand.Build());
        root.Add(AuditCommand.Build());
        root.Add(AuditEventsCommand.Build());
        root.Add(VerifyCommand.Build());
        root.Add(MonitorCommand.Build());
        root.Add(WitnessCommand.Build());
        root.Add(ResolveCommand.Build());
        root.Add(LookupCommand.Build());
        root.Add(Demo.DemoCommand.Build());
        root.Add(ConsentCommand.Build());
        root.Add(HostedUserCommands.Build());
        root.Add(HostedUserCommands.Outbox());
        root.Add(OperationsCommands.Console());
        root.Add(OperationsCommands.Traffic());
        root.Add(OperationsCommands.Issuances());
        root.Add(OperationsCommands.Quotas());
        root.Add(OperationsCommands.LogState());
        return root;
    }

    /// <summary>An API client for the global options; the operator's development key is the default identity.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="authenticated">Whether calls authenticate.</param>
    /// <param name="timeout">Per-request timeout (100 s unless given; a bulk import is bounded by its file instead).</param>
    public static MimiDiscoveryClient Client(ParseResult parse, bool authenticated = true, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(Server)!), Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (!authenticated)
        {
            return new MimiDiscoveryClient(http);
        }

        var clientId = parse.GetValue(ClientId) ?? "operator";
        var key = parse.GetValue(Key) ?? Path.Combine("data", "keys", "operator.key");
        if (!File.Exists(key))
        {
            throw new CliException($"Key file '{key}' not found: pass --key (and --client-id), or run from the directory where the service keeps data/.");
        }

        return new MimiDiscoveryClient(http, ClientCredentials.Load(clientId, key));
    }

    /// <summary>The client id the command line names (a provider's domain), <c>operator</c> by default.</summary>
    public static string ClientIdOf(ParseResult parse) => parse.GetValue(ClientId) ?? "operator";

    /// <summary>Whether the command line names a client identity (<c>--client-id</c> or <c>--key</c>, or their environment variables).</summary>
    public static bool HasIdentity(ParseResult parse) => parse.GetValue(ClientId) is not null || parse.GetValue(Key) is not null;

    /// <summary>Runs a verb, turning expected failures into a red line and exit code 1.</summary>
    public static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception e) when (e is MimiApiException or CliException or HttpRequestException or IOException or InvalidOperationException
                                      or UnauthorizedAccessException or CryptographicException or JsonException or InsecureKeyFileException
                                      or FormatException or InvalidDataException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
    }

    private static Command KeysCommand()
    {
        var output = new Option<string>("--out") { Description = "Private key file to create (mode 0600); the public key goes to FILE.pub (PEM) and FILE.pub.jwk.", Required = true };
        var algorithm = new Option<string>("--alg") { Description = "es256 (P-256) or ed25519.", DefaultValueFactory = _ => "es256" };
        algorithm.AcceptOnlyFromAmong("es256", "ed25519");
        var generate = new Command("generate", "Generates a signing key: for a provider's client assertions or a user's credential.") { output, algorithm };
        generate.SetAction((parse, _) => RunAsync(() =>
        {
            var path = parse.GetValue(output)!;
            using var credentials = parse.GetValue(algorithm) == "ed25519" ? ClientCredentials.GenerateEd25519("") : ClientCredentials.GenerateEs256("");
            credentials.Save(path);
            File.WriteAllText(path + ".pub", credentials.PublicKeyPem);
            File.WriteAllText(path + ".pub.jwk", credentials.PublicJwk + "\n");
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {path} (private, 0600), {path}.pub (PEM) and {path}.pub.jwk (JWK to enrol)");
            Console.WriteLine(credentials.PublicJwk);
            return Task.CompletedTask;
        }));
        return new Command("keys", "Key management.") { generate, VrfKeyCommand.Build() };
    }
}
