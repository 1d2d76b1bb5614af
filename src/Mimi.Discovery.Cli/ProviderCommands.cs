using System.CommandLine;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi provider …</c>: enrolment and administration, as the operator.</summary>
internal static class ProviderCommands
{
    public static Command Build()
    {
        var domain = new Option<string>("--domain") { Description = "The provider's domain.", Required = true };
        var contact = new Option<string>("--contact") { Description = "Operations contact (email or URL).", Required = true };
        var jwk = new Option<string[]>("--jwk") { Description = "Public JWK (JSON or a file holding it); repeat for several keys.", Required = true, AllowMultipleArgumentsPerToken = true };
        var trusted = new Option<bool>("--trusted") { Description = "Accept this provider's attestations of identifier control." };
        var name = new Option<string?>("--name") { Description = "Display name." };
        var enrol = new Command("enrol", "Enrols a provider.") { domain, contact, jwk, trusted, name };
        enrol.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var provider = await MimiCommand.Client(parse).EnrolProviderAsync(parse.GetValue(domain)!, parse.GetValue(contact)!,
                parse.GetValue(jwk)!.Select(ReadJson), parse.GetValue(trusted), parse.GetValue(name), ct);
            Show([provider]);
        }));

        var list = new Command("list", "Lists providers.");
        list.SetAction((parse, ct) => MimiCommand.RunAsync(async () => Show(await MimiCommand.Client(parse).ListProvidersAsync(ct))));

        var target = new Argument<string>("domain") { Description = "The provider's domain." };
        var suspend = new Command("suspend", "Suspends a provider: its calls and tokens are refused at once.") { target };
        suspend.SetAction((parse, ct) => MimiCommand.RunAsync(async () => Show([await MimiCommand.Client(parse).SuspendProviderAsync(parse.GetValue(target)!, ct)])));
        var reinstate = new Command("reinstate", "Lifts a suspension.") { target };
        reinstate.SetAction((parse, ct) => MimiCommand.RunAsync(async () => Show([await MimiCommand.Client(parse).ReinstateProviderAsync(parse.GetValue(target)!, ct)])));

        var trustValue = new Option<bool>("--trusted") { Description = "true to accept attestations, false to require one-time codes.", Required = true };
        var trust = new Command("trust", "Sets a provider's trust level.") { target, trustValue };
        trust.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
            Show([await MimiCommand.Client(parse).SetProviderTrustAsync(parse.GetValue(target)!, parse.GetValue(trustValue), ct)])));

        var newKey = new Option<string>("--jwk") { Description = "Public JWK (JSON or a file holding it).", Required = true };
        var addKey = new Command("add-key", "Adds a signing key (rotation, step one).") { target, newKey };
        addKey.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var key = await MimiCommand.Client(parse).AddProviderKeyAsync(parse.GetValue(target)!, ReadJson(parse.GetValue(newKey)!), ct);
            AnsiConsole.MarkupLineInterpolated($"[green]added[/] key {key.Kid}");
        }));

        var kid = new Argument<string>("kid") { Description = "The key id to retire." };
        var retireKey = new Command("retire-key", "Retires a signing key (rotation, step two).") { target, kid };
        retireKey.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            await MimiCommand.Client(parse).RetireProviderKeyAsync(parse.GetValue(target)!, parse.GetValue(kid)!, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]retired[/] key {parse.GetValue(kid)}");
        }));

        return new Command("provider", "Provider enrolment and administration (operator).") { enrol, list, suspend, reinstate, trust, addKey, retireKey };
    }

    private static string ReadJson(string valueOrFile) => valueOrFile.TrimStart().StartsWith('{') ? valueOrFile : File.ReadAllText(valueOrFile);

    private static void Show(IEnumerable<Provider> providers)
    {
        var table = new Table().AddColumns("domain", "status", "trusted", "contact", "keys");
        foreach (var p in providers)
        {
            table.AddRow(Markup.Escape(p.Domain), p.Status == "active" ? "[green]active[/]" : "[red]suspended[/]", p.Trusted ? "yes" : "no",
                Markup.Escape(p.Contact), Markup.Escape(string.Join(", ", p.Keys.Where(k => k.RetiredAt is null).Select(k => k.Kid))));
        }

        AnsiConsole.Write(table);
    }
}
