using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimi.Discovery.Client;

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
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON, assertions included." };
        var command = new Command("lookup", "Looks identifiers up and prints every mapping you may see (as a provider).") { identifiers, isPrivate, json };
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

            Print(answer, parse.GetValue(json));
        }));
        return command;
    }

    /// <summary>One line per mapping (or per identifier without one), tab-separated so scripts can cut it.</summary>
    private static void Print(LookupResults answer, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(answer, CliJson.Indented));
            return;
        }

        foreach (var result in answer.Results)
        {
            if (result.Mappings.Length == 0)
            {
                Console.WriteLine($"{result.Sii}\t{result.Status}");
            }

            foreach (var m in result.Mappings)
            {
                Console.WriteLine(string.Join('\t', result.Sii, result.Status, m.Provider, m.Ssi, "tags=" + string.Join(',', m.Tags), "serial=" + m.Serial,
                    "until=" + m.NotAfter.ToString("u", CultureInfo.InvariantCulture), "keyMaterial=" + (m.KeyMaterial ?? "-")));
            }
        }
    }
}
