using System.CommandLine;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi consent …</c>: a hosted user's consent, as its client (<c>--client-id mimi://domain/d/client --key FILE</c>):
/// ask, list what was asked and what is pending, accept, reject, revoke, block, set the mode.
/// </summary>
internal static class ConsentCommand
{
    public static Command Build()
    {
        var room = new Option<string?>("--room") { Description = "Limit to one room (mimi://domain/r/name); every room when absent.", Recursive = true };
        var command = new Command("consent", "A hosted user's consent, as one of its clients (--client-id is the client URI).") { room };

        var target = new Argument<string>("target") { Description = "The user asked, mimi://domain/u/name." };
        var request = new Command("request", "Asks a user of any provider for consent.") { target };
        request.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var state = await MimiCommand.Client(parse).RequestConsentAsync(parse.GetValue(target)!, parse.GetValue(room), ct);
            Console.WriteLine($"{state.Target}\t{state.Room ?? "*"}\t{state.State}");
        }));
        command.Add(request);

        var list = new Command("list", "What this user asked for, and how it stands.");
        list.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            foreach (var r in await MimiCommand.Client(parse).ListConsentRequestsAsync(ct))
            {
                Console.WriteLine($"{r.Target}\t{r.Room ?? "*"}\t{r.State}");
            }
        }));
        command.Add(list);

        var pending = new Command("pending", "Undecided requests to this user.");
        pending.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            foreach (var p in await MimiCommand.Client(parse).ListPendingConsentAsync(ct))
            {
                Console.WriteLine($"{p.Requester}\t{p.Room ?? "*"}\t{p.RequestedAt:O}");
            }
        }));
        command.Add(pending);

        foreach (var (name, description, act) in new (string, string, Func<MimiDiscoveryClient, string, string?, CancellationToken, Task>)[]
        {
            ("accept", "Grants a requester consent (sent to its provider).", (c, r, m, ct) => c.AcceptConsentAsync(r, m, ct)),
            ("reject", "Rejects a pending request (nothing is sent).", (c, r, m, ct) => c.RejectConsentAsync(r, m, ct)),
            ("revoke", "Revokes consent given to a requester.", (c, r, m, ct) => c.RevokeConsentAsync(r, m, ct)),
        })
        {
            var requester = new Argument<string>("requester") { Description = "The requesting user, mimi://domain/u/name." };
            var verb = new Command(name, description) { requester };
            verb.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
            {
                await act(MimiCommand.Client(parse), parse.GetValue(requester)!, parse.GetValue(room), ct);
                AnsiConsole.MarkupLineInterpolated($"[green]{name}ed[/] {parse.GetValue(requester)}");
            }));
            command.Add(verb);
        }

        var blocked = new Argument<string>("who") { Description = "A user URI (mimi://domain/u/name) or a whole provider domain." };
        var block = new Command("block", "Blocks a requester user or domain.") { blocked };
        block.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var who = parse.GetValue(blocked)!;
            var client = MimiCommand.Client(parse);
            await (who.StartsWith("mimi:", StringComparison.OrdinalIgnoreCase) ? client.BlockUserAsync(who, ct) : client.BlockDomainAsync(who, ct));
            AnsiConsole.MarkupLineInterpolated($"[green]blocked[/] {who}");
        }));
        command.Add(block);

        var mode = new Argument<string>("mode") { Description = "open, quarantine or consent-required." };
        mode.AcceptOnlyFromAmong("open", "quarantine", "consent-required");
        var setMode = new Command("mode", "Sets this user's consent mode.") { mode };
        setMode.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            await MimiCommand.Client(parse).SetConsentModeAsync(parse.GetValue(mode)!, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]consent mode[/] {parse.GetValue(mode)}");
        }));
        command.Add(setMode);
        return command;
    }
}
