using System.Net;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log.Witnessing;

/// <summary>
/// <c>mimi witness</c> as another organisation runs it: the built CLI as a process of its own, shown honest and
/// rewritten histories of a log over HTTP, answering per C2SP tlog-witness and never moving its state backwards.
/// </summary>
public sealed class WitnessCliTests : IDisposable
{
    private const string Origin = "log.example/witnessed";
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-witness-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<ServiceProcess> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _http.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Witness_init_writes_an_owner_only_key_prints_its_verifier_key_and_never_overwrites_it()
    {
        var verifier = await InitAsync("w.key");

        Assert.Equal("witness.example/w1", verifier.Name);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_work, "w.key")));
        Assert.StartsWith("PRIVATE+KEY+witness.example/w1+", await File.ReadAllTextAsync(Path.Combine(_work, "w.key")), StringComparison.Ordinal);
        var (code, output) = await MimiAsync("witness init --name witness.example/w2 --key w.key");
        Assert.Equal(1, code);
        Assert.Contains("w.key", output, StringComparison.Ordinal);
        Assert.Equal(verifier.VerifierKey, Cosigner.ParseSignerKey((await File.ReadAllTextAsync(Path.Combine(_work, "w.key"))).Trim()).VerifierKey);
    }

    [Fact]
    public async Task Witness_cosigns_a_consistent_checkpoint_and_refuses_a_rewritten_history_with_409_and_422_without_moving()
    {
        var verifier = await InitAsync("w.key");
        var log = new WitnessTestLog(Origin);
        await log.GrowAsync(12);
        var url = await StartWitnessAsync("w.key", log);

        var first = await PostAsync(url, await log.RequestAsync(0, 5));
        var second = await PostAsync(url, await log.RequestAsync(5, 9));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.True(Cosignature.TryParse(second.Body, out var cosignature), second.Body);
        Assert.True(verifier.Verify((await log.CheckpointAsync(9)).Format(), cosignature));

        // The same key signs a history rewritten below 9: a fork at the same size, and a longer tree built on it.
        var fork = new WitnessTestLog(Origin, log.Signer);
        await fork.GrowAsync(12, salt: "rewritten ");
        var sameSize = await PostAsync(url, new AddCheckpointRequest(9, [], await fork.NoteAsync(9)).Format());
        var longer = await PostAsync(url, new AddCheckpointRequest(9, await fork.ProofAsync(9, 12), await fork.NoteAsync(12)).Format());
        var spoiled = await PostAsync(url, new AddCheckpointRequest(9, [.. (await log.ProofAsync(9, 12)).Reverse()], await log.NoteAsync(12)).Format());
        var stale = await PostAsync(url, await log.RequestAsync(5, 12));

        Assert.Equal(HttpStatusCode.Conflict, sameSize.Status);
        Assert.Equal("text/x.tlog.size", sameSize.ContentType);
        Assert.Equal("9\n", sameSize.Body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, longer.Status);
        Assert.Contains("consistency proof", longer.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, spoiled.Status);
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal("9\n", stale.Body);
        Assert.Equal(await log.CheckpointAsync(9), Assert.Single(await StateAsync()));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(url, await log.RequestAsync(9, 12))).Status);
        Assert.Equal(12, Assert.Single(await StateAsync()).Size);
    }

    [Fact]
    public async Task Witness_answers_403_for_a_bad_log_signature_404_for_an_unknown_origin_400_for_a_malformed_body_413_when_too_large()
    {
        await InitAsync("w.key");
        var log = new WitnessTestLog(Origin);
        await log.GrowAsync(3);
        var url = await StartWitnessAsync("w.key", log);
        var impostor = new WitnessTestLog(Origin);
        await impostor.GrowAsync(3);
        var stranger = new WitnessTestLog("log.example/stranger");
        await stranger.GrowAsync(3);

        var forbidden = await PostAsync(url, await impostor.RequestAsync(0, 3));
        var unknown = await PostAsync(url, await stranger.RequestAsync(0, 3));
        var malformed = await PostAsync(url, "old 01\n\n" + await log.NoteAsync(3));
        var large = await PostAsync(url, "old 0\n\n" + new string('a', AddCheckpointRequest.MaxLength));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("log.example/stranger", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal("text/plain", malformed.ContentType);
        Assert.Contains("old <size>", malformed.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.Status);
        Assert.Empty(await StateAsync());
    }

    [Fact]
    public async Task Witness_killed_and_restarted_keeps_its_state_and_a_second_process_cannot_share_it()
    {
        await InitAsync("w.key");
        var log = new WitnessTestLog(Origin);
        await log.GrowAsync(10);
        var url = await StartWitnessAsync("w.key", log);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(url, await log.RequestAsync(0, 7))).Status);

        var (code, output) = await MimiAsync($"witness serve --key w.key --state state.json --log {Origin}={log.Signer.VerifierKey} --listen http://127.0.0.1:{LoopbackPorts.FreeTcpPort()}");
        Assert.Equal(1, code);
        Assert.Contains("in use by another process", output, StringComparison.Ordinal);

        _processes[^1].Kill();
        url = await StartWitnessAsync("w.key", log);
        var fromZero = await PostAsync(url, await log.RequestAsync(0, 10));
        var fromSeven = await PostAsync(url, await log.RequestAsync(7, 10));

        Assert.Equal(HttpStatusCode.Conflict, fromZero.Status);
        Assert.Equal("7\n", fromZero.Body);
        Assert.Equal(HttpStatusCode.OK, fromSeven.Status);
    }

    private async Task<CosignatureVerifier> InitAsync(string keyFile)
    {
        var (code, output) = await MimiAsync($"witness init --name witness.example/w1 --key {keyFile}");
        Assert.True(code == 0, output);
        return CosignatureVerifier.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
    }

    private async Task<string> StartWitnessAsync(string keyFile, WitnessTestLog log)
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.FreeTcpPort()}";
        var witness = ServiceProcess.StartCli(_work,
            ["witness", "serve", "--key", keyFile, "--state", "state.json", "--log", $"{log.Origin}={log.Signer.VerifierKey}", "--listen", url], url);
        _processes.Add(witness);
        await witness.WaitUntilAnsweringAsync(new Uri(url), "/");
        return url;
    }

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(string url, string body)
    {
        using var response = await _http.PostAsync(url + "/add-checkpoint", new StringContent(body, Encoding.UTF8, "text/plain"));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<Checkpoint>> StateAsync()
    {
        var path = Path.Combine(_work, "state.json");
        if (!File.Exists(path))
        {
            return [];
        }

        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        return [.. state.RootElement.GetProperty("logs").EnumerateArray().Select(l => new Checkpoint(l.GetProperty("origin").GetString()!,
            l.GetProperty("size").GetInt64(), Convert.FromBase64String(l.GetProperty("root").GetString()!)))];
    }

    private Task<(int ExitCode, string Output)> MimiAsync(string arguments) =>
        Tools.RunAsync("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "mimi.dll")} {arguments}", _work);
}
