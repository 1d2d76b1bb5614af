using System.CommandLine;
using System.Globalization;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi user …</c> and <c>mimi outbox</c>: a provider instance's users, their clients and its deliveries, as its operator.</summary>
internal static class HostedUserCommands
{
    public static Command Build()
    {
        var name = new Argument<string>("name") { Description = "The user's local name (mimi://domain/u/NAME)." };
        var mode = new Option<string>("--consent-mode")
        {
            Description = "open, quarantine or consent-required.",
            DefaultValueFactory = _ => "consent-required",
        };
        var add = new Command("add", "Creates a hosted user.") { name, mode };
        add.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
            Show([await MimiCommand.Client(parse).CreateHostedUserAsync(parse.GetValue(name)!, parse.GetValue(mode)!, ct)])));

        var list = new Command("list", "Lists hosted users.");
        list.SetAction((parse, ct) => MimiCommand.RunAsync(async () => Show(await MimiCommand.Client(parse).ListHostedUsersAsync(ct))));

        var remove = new Command("remove", "Deletes a hosted user and its clients.") { name };
        remove.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            await MimiCommand.Client(parse).DeleteHostedUserAsync(parse.GetValue(name)!, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]removed[/] user {parse.GetValue(name)}");
        }));

        var user = new Argument<string>("user") { Description = "The user's local name." };
        var client = new Argument<string>("client") { Description = "The client's local name (mimi://domain/d/CLIENT)." };
        var jwk = new Option<string>("--jwk") { Description = "The client's public JWK (JSON or a file holding it, e.g. from mimi keys generate).", Required = true };
        var addClient = new Command("add-client", "Registers a client of a hosted user; it then gets tokens with its key (client id = its URI).") { user, client, jwk };
        addClient.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var value = parse.GetValue(jwk)!;
            var added = await MimiCommand.Client(parse).AddHostedClientAsync(parse.GetValue(user)!, parse.GetValue(client)!,
                value.TrimStart().StartsWith('{') ? value : await File.ReadAllTextAsync(value, ct), ct);
            AnsiConsole.MarkupLineInterpolated($"[green]added[/] {added.Client} for {added.User} (key {added.Kid})");
        }));

        var removeClient = new Command("remove-client", "Removes a client; its tokens stop working at once.") { client };
        removeClient.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            await MimiCommand.Client(parse).RemoveHostedClientAsync(parse.GetValue(client)!, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]removed[/] client {parse.GetValue(client)}");
        }));

        return new Command("user", "Users hosted by this provider instance and their clients (the instance's operator).")
            { add, list, remove, addClient, removeClient };
    }

    public static Command Outbox()
    {
        var command = new Command("outbox", "Provider-to-provider deliveries waiting or given up (the instance's operator).");
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var status = await MimiCommand.Client(parse).GetOutboxAsync(ct);
            AnsiConsole.MarkupLineInterpolated(
                $"pending {status.Pending} (oldest {(status.OldestPendingSeconds is { } s ? s.ToString(CultureInfo.InvariantCulture) + " s" : "–")}), failed {status.Failed}");
            if (status.Destinations is { Length: > 0 } destinations)
            {
                var waiting = new Table().AddColumns("destination", "pending", "oldest");
                foreach (var d in destinations)
                {
                    waiting.AddRow(Markup.Escape(d.Destination), d.Pending.ToString(CultureInfo.InvariantCulture), d.OldestPendingSeconds.ToString(CultureInfo.InvariantCulture) + " s");
                }

                AnsiConsole.Write(waiting);
            }

            if (status.RecentFailures.Length > 0)
            {
                var table = new Table().AddColumns("message", "destination", "endpoint", "attempts", "last error");
                foreach (var f in status.RecentFailures)
                {
                    table.AddRow(Markup.Escape(f.MessageId), Markup.Escape(f.Destination), Markup.Escape(f.Endpoint),
                        f.Attempts.ToString(CultureInfo.InvariantCulture), Markup.Escape(f.LastError ?? ""));
                }

                AnsiConsole.Write(table);
            }
        }));
        return command;
    }

    private static void Show(IEnumerable<HostedUserInfo> users)
    {
        var table = new Table().AddColumns("user", "consent mode", "created");
        foreach (var u in users)
        {
            table.AddRow(Markup.Escape(u.User), Markup.Escape(u.ConsentMode), u.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }
}
