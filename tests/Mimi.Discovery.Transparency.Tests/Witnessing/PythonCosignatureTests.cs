using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Mimi.Discovery.Transparency.Tests.Witnessing;

/// <summary>
/// Our <c>cosignature/v1</c> lines checked by code we did not write: tests/peers/cosignature/verify.py rebuilds the key
/// ID and the signed message from the C2SP spec and verifies the Ed25519 signature with Python's <c>cryptography</c>.
/// </summary>
public sealed class PythonCosignatureTests
{
    [Fact]
    public async Task Python_cryptography_verifies_our_cosignatures_and_recomputes_the_key_id()
    {
        var cosigner = Cosigner.Generate("witness.example/w1");
        var log = NoteSigner.Generate("log.example/mimi");
        string[] bodies =
        [
            new Checkpoint("log.example/mimi", 0, MerkleHash.EmptyRoot.ToArray()).Format(),
            new Checkpoint("log.example/mimi", 20852163, MerkleHash.LeafHash("x"u8)).Format(),
            new Checkpoint("log.example/mimi", 7, MerkleHash.LeafHash("y"u8), ["extension line é"]).Format(),
        ];
        var requests = new List<JsonObject>();
        foreach (var (body, i) in bodies.Select((b, i) => (b, i)))
        {
            var line = cosigner.Sign(body, 1_700_000_000 + i).Format();
            requests.Add(new JsonObject { ["vkey"] = cosigner.VerifierKey, ["body"] = body, ["line"] = line });
        }

        // A line over another body, and the log's own note signature, must fail there: the check above means something.
        requests.Add(new JsonObject { ["vkey"] = cosigner.VerifierKey, ["body"] = bodies[1], ["line"] = cosigner.Sign(bodies[0], 1).Format() });
        var noteLine = SignedNote.Sign(bodies[1], log).Split('\n')[^2];
        requests.Add(new JsonObject { ["vkey"] = cosigner.VerifierKey, ["body"] = bodies[1], ["line"] = noteLine });

        var answers = await RunAsync(requests);

        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.True(answers[i]["ok"]!.GetValue<bool>(), answers[i].ToJsonString());
            Assert.Equal(cosigner.KeyId.ToString("x8"), answers[i]["keyId"]!.GetValue<string>());
            Assert.Equal(1_700_000_000 + i, answers[i]["timestamp"]!.GetValue<long>());
        }

        Assert.False(answers[3]["ok"]!.GetValue<bool>());
        Assert.Contains("does not verify", answers[3]["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(answers[4]["ok"]!.GetValue<bool>());
    }

    private static async Task<List<JsonObject>> RunAsync(IEnumerable<JsonObject> requests)
    {
        var script = FindScript();
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start python3.");
        foreach (var request in requests)
        {
            await process.StandardInput.WriteLineAsync(request.ToJsonString());
        }

        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"verify.py failed (is python3-cryptography installed? ./test.sh installs it):\n{errors}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "tests", "peers", "cosignature", "verify.py");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException("tests/peers/cosignature/verify.py not found above " + AppContext.BaseDirectory);
    }
}
