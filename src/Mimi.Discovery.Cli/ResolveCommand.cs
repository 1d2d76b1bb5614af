using System.CommandLine;
using System.Net;
using Mimi.Discovery.Resolution;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi resolve DOMAIN</c>: what DNS SRV and the MIMI directory say about a provider, and why.</summary>
internal static class ResolveCommand
{
    public static Command Build()
    {
        var domain = new Argument<string>("domain") { Description = "The provider domain, e.g. beta.test." };
        var dns = new Option<string[]>("--dns") { Description = "Name server(s) as IP:PORT (default: the system resolver).", AllowMultipleArgumentsPerToken = true };
        var allow = new Option<string[]>("--allow") { Description = "Address ranges to allow despite the SSRF guard, e.g. 127.0.0.0/8 (local demos only).", AllowMultipleArgumentsPerToken = true };
        var http = new Option<bool>("--http") { Description = "Fetch the directory over plain http (local demos only)." };
        var noDirectory = new Option<bool>("--no-directory") { Description = "Resolve only; do not fetch /.well-known/mimi-protocol-directory." };
        var command = new Command("resolve", "Resolves a provider domain: SRV records, fail-over order, addresses, and its MIMI directory.")
            { domain, dns, allow, http, noDirectory };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var options = new ProviderResolverOptions { AllowHttp = parse.GetValue(http), DirectoryScheme = parse.GetValue(http) ? "http" : "https" };
            foreach (var server in parse.GetValue(dns) ?? [])
            {
                options.NameServers.Add(IPEndPoint.TryParse(server, out var endpoint)
                    ? endpoint : throw new CliException($"--dns '{server}' is not IP:PORT."));
            }

            foreach (var range in parse.GetValue(allow) ?? [])
            {
                options.AllowedAddressRanges.Add(IPNetwork.TryParse(range, out var network)
                    ? network : throw new CliException($"--allow '{range}' is not a CIDR range."));
            }

            using var resolver = new ProviderResolver(options);
            var report = await resolver.InspectAsync(parse.GetValue(domain)!, !parse.GetValue(noDirectory), ct);
            foreach (var line in report.Explanation)
            {
                AnsiConsole.MarkupLine(Markup.Escape(line));
            }

            var table = new Table().AddColumns("order", "target", "port", "priority", "weight", "addresses");
            var order = 1;
            foreach (var candidate in report.Resolution.Candidates)
            {
                table.AddRow((order++).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(candidate.Target),
                    candidate.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), candidate.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    candidate.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", candidate.Addresses));
            }

            AnsiConsole.Write(table);
            if (report.Directory is { Directory: { } directory })
            {
                var endpoints = new Table().AddColumns("endpoint", "URL template");
                foreach (var (endpoint, template) in directory.Endpoints)
                {
                    endpoints.AddRow(MimiDirectory.NameOf(endpoint), Markup.Escape(template));
                }

                AnsiConsole.Write(endpoints);
            }

            if (!report.Resolution.Succeeded || report.Directory is { Succeeded: false })
            {
                throw new CliException(report.Resolution.Error ?? report.Directory?.Error ?? "resolution failed");
            }
        }));
        return command;
    }
}
