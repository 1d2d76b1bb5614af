using System.CommandLine;
using Mimi.Discovery.Transparency;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi keys rotate-vrf</c>: a new VRF key for the identifier index, offline, while the service is stopped. The
/// earlier keys stay in <c>vrf-previous.key</c> (private parts included) and published, so old proofs keep verifying
/// and monitors are still given their identifiers' indexes under them.
/// </summary>
internal static class VrfKeyCommand
{
    public static Command Build()
    {
        var directory = new Option<string>("--key-dir") { Description = "The service's key directory (Authority:KeyDirectory; default data/keys).", DefaultValueFactory = _ => Path.Combine("data", "keys") };
        var rotate = new Command("rotate-vrf", $"Rotates the VRF key of the identifier index ({VrfKeyRing.KeyFile}, {VrfKeyRing.PreviousKeysFile}); run while the service is stopped.") { directory };
        rotate.SetAction((parse, _) => MimiCommand.RunAsync(() =>
        {
            var path = parse.GetValue(directory)!;
            if (!File.Exists(Path.Combine(path, VrfKeyRing.KeyFile)))
            {
                using var created = VrfKeyRing.Generate();
                created.Save(path);
                AnsiConsole.MarkupLineInterpolated($"[green]created[/] {Path.Combine(path, VrfKeyRing.KeyFile)} (0600): VRF key {created.Current.PublicKey.KeyId}");
                return Task.CompletedTask;
            }

            using var ring = VrfKeyRing.Load(path);
            using var rotated = ring.Rotate();
            rotated.Save(path);
            AnsiConsole.MarkupLineInterpolated(
                $"[green]rotated[/] VRF key {ring.Current.PublicKey.KeyId} → {rotated.Current.PublicKey.KeyId}; {rotated.Previous.Count} earlier key(s) kept in {VrfKeyRing.PreviousKeysFile}. Restart the service to use it.");
            return Task.CompletedTask;
        }));
        return rotate;
    }
}
