using System.CommandLine;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi lookup SII… [--private]</c>: resolves identifiers to mappings, in the plain or the private mode.</summary>
internal static class LookupCommand
{
    public static Command Build()
    {
        var identifiers = new Argument<string[]>("sii") { Description = "Identifiers to look up: tel:+…, mailto:…, im:handle@domain.", Arity = ArgumentArity.OneOrMore };
        var isPrivate = new Option<bool>("--private")
        {
            Description = "Private lookup (OPRF): the service never sees the identifiers, only blinded points and the buckets fetched.",
        };
        var command = new Command("lookup", "Looks identifiers up and prints every mapping you may see (as a provider).") { identifiers, isPrivate };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var api = MimiCommand.Client(parse);
            LookupResults answer;
            try
            {
                answer = parse.GetValue(isPrivate)
                    ? await new PrivateLookupClient(new HttpClient { BaseAddress = new Uri(parse.GetValue<string>("--server")!) }, api)
                        .LookupAsync(parse.GetValue(identifiers)!, ct)
                    : await api.LookupAsync(parse.GetValue(identifiers)!, ct);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                throw new CliException(e.Message);
            }

            Print(answer);
        }));
        return command;
    }

    private static void Print(LookupResults answer)
    {
        var table = new Table().AddColumns("Identifier", "Status", "Provider", "User (SSI)", "Tags", "Serial", "Valid until", "keyMaterial");
        foreach (var result in answer.Results)
        {
            if (result.Mappings.Length == 0)
            {
                table.AddRow(Markup.Escape(result.Sii), Markup.Escape(result.Status), "", "", "", "", "", "");
            }

            foreach (var m in result.Mappings)
            {
                table.AddRow(Markup.Escape(result.Sii), Markup.Escape(result.Status), Markup.Escape(m.Provider), Markup.Escape(m.Ssi),
                    Markup.Escape(string.Join(",", m.Tags)), Markup.Escape(m.Serial), m.NotAfter.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(m.KeyMaterial ?? ""));
            }
        }

        AnsiConsole.Write(table);
    }
}
