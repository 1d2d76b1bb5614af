using System.CommandLine;
using Mimi.Discovery.Authority;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi ca root</c> and <c>mimi ca intermediate</c>: the root ceremony of ca/README.md.</summary>
internal static class CaCommands
{
    public static Command Build()
    {
        var rootOut = new Option<string>("--out") { Description = "Directory for root.pem and root.key (created 0700).", Required = true };
        var rootSubject = new Option<string>("--subject") { Description = "Root subject DN.", DefaultValueFactory = _ => "CN=Mimi.Discovery Root, O=Mimi.Discovery" };
        var years = new Option<int>("--years") { Description = "Root validity in years.", DefaultValueFactory = _ => 20 };
        var root = new Command("root", "Creates an offline root CA (run on the offline machine).") { rootOut, rootSubject, years };
        root.SetAction((parse, _) => MimiCommand.RunAsync(() =>
        {
            var info = CertificateAuthorityCeremony.CreateRoot(parse.GetValue(rootOut)!, parse.GetValue(rootSubject)!, parse.GetValue(years));
            Show("root created", info);
            return Task.CompletedTask;
        }));

        var rootDir = new Option<string>("--root") { Description = "Directory holding root.pem and root.key.", Required = true };
        var intOut = new Option<string>("--out") { Description = "Directory for intermediate.pem, intermediate.key and chain.pem.", Required = true };
        var intSubject = new Option<string>("--subject") { Description = "Intermediate subject DN.", DefaultValueFactory = _ => "CN=Mimi.Discovery Issuing CA, O=Mimi.Discovery" };
        var days = new Option<int>("--days") { Description = "Intermediate validity in days.", DefaultValueFactory = _ => 365 };
        var crlUrl = new Option<string>("--crl-url") { Description = "URL of the root's CRL, written into the intermediate.", Required = true };
        var intermediate = new Command("intermediate", "Signs an issuing intermediate with the root.") { rootDir, intOut, intSubject, days, crlUrl };
        intermediate.SetAction((parse, _) => MimiCommand.RunAsync(() =>
        {
            var info = CertificateAuthorityCeremony.CreateIntermediate(parse.GetValue(rootDir)!, parse.GetValue(intOut)!, parse.GetValue(intSubject)!,
                parse.GetValue(days), new Uri(parse.GetValue(crlUrl)!));
            Show("intermediate created", info);
            return Task.CompletedTask;
        }));

        var crlRoot = new Option<string>("--root") { Description = "Directory holding root.pem and root.key.", Required = true };
        var crlDays = new Option<int>("--days") { Description = "Days until nextUpdate.", DefaultValueFactory = _ => 365 };
        var crlNumber = new Option<long>("--crl-number") { Description = "CRL number, higher than the previous root CRL's.", Required = true };
        var rootCrl = new Command("root-crl", "Signs the root's CRL (root.crl) listing no revoked intermediate.") { crlRoot, crlDays, crlNumber };
        rootCrl.SetAction((parse, _) => MimiCommand.RunAsync(() =>
        {
            var crl = CertificateAuthorityCeremony.CreateRootCrl(parse.GetValue(crlRoot)!, [], parse.GetValue(crlDays), parse.GetValue(crlNumber));
            AnsiConsole.MarkupLineInterpolated($"[green]root CRL[/] number {crl.CrlNumber}, next update {crl.NextUpdate:u}");
            return Task.CompletedTask;
        }));

        return new Command("ca", "Certificate authority ceremony.") { root, intermediate, rootCrl };
    }

    private static void Show(string what, CaCertificateInfo info)
    {
        var table = new Table().AddColumns("", what);
        table.AddRow("subject", Markup.Escape(info.Subject));
        table.AddRow("serial", info.SerialHex);
        table.AddRow("valid", $"{info.NotBefore:u} – {info.NotAfter:u}");
        table.AddRow("SHA-256", info.Sha256Fingerprint);
        table.AddRow("certificate", Markup.Escape(info.CertificatePath));
        table.AddRow("private key", Markup.Escape(info.PrivateKeyPath) + " (0600)");
        AnsiConsole.Write(table);
    }
}
