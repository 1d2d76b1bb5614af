using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Transparency;

/// <summary>
/// The service on PostgreSQL and a real loopback port, with a real witness (<c>mimi witness serve</c>, the built CLI,
/// as its own process) that the log asks to cosign every checkpoint, quorum 1. Also the rogue authority's hands: it
/// writes credentials and entries straight through storage, with the authority's own keys, bypassing proof of control.
/// </summary>
internal sealed class AccountableService : IAsyncDisposable
{
    public const string Origin = "localhost/test-log";

    private readonly ServiceProcess _witness;

    private AccountableService(ServiceFactory service, int port, ServiceProcess witness, string work, string logKey, string witnessKey)
    {
        Service = service;
        Port = port;
        _witness = witness;
        Work = work;
        LogKey = logKey;
        WitnessKey = witnessKey;
        Trust = CheckpointTrust.Create(logKey, [witnessKey], 1);
    }

    public ServiceFactory Service { get; }

    public int Port { get; }

    /// <summary>A scratch directory: key files, state files, the witness's state.</summary>
    public string Work { get; }

    public string LogKey { get; }

    public string WitnessKey { get; }

    /// <summary>The log's key and the witness's, quorum 1: what every client here trusts.</summary>
    public CheckpointTrust Trust { get; }

    public static async Task<AccountableService> StartAsync(PostgresServer postgres)
    {
        var work = Directory.CreateTempSubdirectory("mimi-drill-").FullName;
        var init = await MimiAsync(work, $"witness init --name witness.test/w1 --key {work}/witness.key");
        var witnessKey = init.Trim().Split('\n')[^1].Trim();
        var witnessPort = LoopbackPorts.FreeTcpPort();
        var port = LoopbackPorts.FreeTcpPort();
        var service = new ServiceFactory(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Authority:Issuer"] = $"http://127.0.0.1:{port}",
            ["Log:Origin"] = Origin,
            ["Log:Witnesses:Quorum"] = "1",
            ["Log:Witnesses:List:0:VerifierKey"] = witnessKey,
            ["Log:Witnesses:List:0:Url"] = $"http://127.0.0.1:{witnessPort}",
            ["Log:Witnesses:MinRetryInterval"] = "00:00:00.200",
            ["Log:Witnesses:MaxRetryInterval"] = "00:00:00.500",
            ["Log:Witnesses:Interval"] = "00:00:00.500",
        });
        service.UseKestrel(port);
        service.StartServer();
        var logKey = await service.Anonymous().GetLogVerifierKeyAsync();

        // The witness starts after the log, as a real one would be configured: until then cosigning waits, issuance does not.
        var url = $"http://127.0.0.1:{witnessPort}";
        var witness = ServiceProcess.StartCli(work,
            ["witness", "serve", "--key", $"{work}/witness.key", "--state", $"{work}/witness-state.json", "--log", $"{Origin}={logKey}", "--listen", url], url);
        var drill = new AccountableService(service, port, witness, work, logKey, witnessKey) { WitnessUrl = new Uri($"{url}/add-checkpoint") };
        await witness.WaitUntilAnsweringAsync(new Uri(url), "/");
        return drill;
    }

    /// <summary>The witness's endpoint, for a test that shows it a rewritten history itself.</summary>
    public Uri WitnessUrl { get; private init; } = null!;

    /// <summary>Waits until <c>/log/checkpoint</c> serves a checkpoint of at least <paramref name="size"/> entries that the trust policy accepts.</summary>
    public async Task<Checkpoint> WaitCosignedAsync(long size)
    {
        Checkpoint? seen = null;
        await Loopback.WaitUntilAsync(async () =>
        {
            var verification = Trust.Verify(await Service.Anonymous().GetCheckpointAsync());
            seen = verification.Checkpoint;
            return verification.IsTrusted && seen!.Size >= size;
        }, TimeSpan.FromSeconds(60), () => $"no cosigned checkpoint of size {size} (last seen {seen?.Size})");
        return seen!;
    }

    /// <summary>Enrols a provider and saves its key where <c>mimi --key</c> can read it.</summary>
    public async Task<(MimiDiscoveryClient Client, string KeyFile)> EnrolAsync(string domain, bool trusted = true)
    {
        var (client, credentials) = await Service.EnrolAsync(domain, trusted);
        var keyFile = Path.Combine(Work, domain + ".key");
        credentials.Save(keyFile);
        return (client, keyFile);
    }

    /// <summary>Issues a credential through the API, attested by <paramref name="provider"/> (a trusted provider).</summary>
    public static Task<Credential> IssueAsync(MimiDiscoveryClient provider, string sii, string ssi)
    {
        using var user = ClientCredentials.GenerateEs256("u");
        return provider.IssueCredentialAsync(sii, ssi, user.SubjectPublicKeyInfo, attested: true);
    }

    /// <summary>
    /// The rogue authority: a certificate for <paramref name="sii"/> bound to <paramref name="ssi"/> of
    /// <paramref name="provider"/>, signed by the authority's CA with the real VRF proof in its extension, bypassing
    /// proof of control; and the pieces of its entry (index, committed value, opening) for the caller to log, or not.
    /// </summary>
    public RogueCredential Forge(string sii, string ssi, string provider)
    {
        var keys = Service.Services.GetRequiredService<IndexProofs>().Keys;
        var ca = Service.Services.GetRequiredService<CertificateAuthority>();
        var vrf = keys.Current;
        var proof = vrf.Prove(IndexedLogEntries.Alpha(sii));
        var index = new byte[EcVrf.OutputLength];
        EcVrf.TryProofToHash(proof, index);
        using var user = ClientCredentials.GenerateEs256("u");
        var now = DateTimeOffset.UtcNow;
        var issued = ca.Issue(new CredentialRequest(user.SubjectPublicKeyInfo, ssi, sii, now.AddMinutes(-1), now.AddDays(7))
        {
            IndexProof = new IdentifierIndexProof(vrf.PublicKey.KeyId, proof),
        });
        var value = IndexedLogEntries.IssuanceValue(sii, ssi, provider, issued.SerialHex, issued.Der, Attestation.Provider, issued.NotAfter);
        return new RogueCredential(issued, provider, sii, ssi, vrf.PublicKey.KeyId, proof, index, value, ca.ChainPem);
    }

    /// <summary>The VRF output of <paramref name="sii"/> under the current key: an identifier's index, as only the authority can compute it.</summary>
    public byte[] IndexOf(string sii) => Service.Services.GetRequiredService<IndexProofs>().Keys.Current.Evaluate(IndexedLogEntries.Alpha(sii));

    /// <summary>
    /// Logs <paramref name="rogue"/> straight through storage (credential row and format-2 entry, under
    /// <paramref name="index"/>, its opening stored or not, its bytes rewritten if asked), and returns its log index and the opening.
    /// </summary>
    public async Task<(long LogIndex, EntryOpening Opening)> LogAsync(RogueCredential rogue, byte[] index, bool storeOpening = true, Func<byte[], byte[]>? rewrite = null)
    {
        var (entry, opening) = IndexedLogEntries.Issuance(DateTimeOffset.UtcNow, rogue.VrfKey, index, rogue.Sii, rogue.Value);
        entry = rewrite?.Invoke(entry) ?? entry;
        Assert.True(LogEntryContent.TryParse(entry, out var parsed) && parsed!.IdentifierIndex!.AsSpan().SequenceEqual(index), "the entry must read as indexed");
        var write = new IssueCredentialWrite(entry, logIndex => new CredentialRecord(rogue.Issued.SerialHex, rogue.Provider, rogue.Sii, rogue.Ssi, [],
            Attestation.Provider, rogue.Issued.Der, "", rogue.Issued.NotBefore, rogue.Issued.NotAfter, logIndex, DateTimeOffset.UtcNow,
            VrfKeyId: rogue.VrfKey, IdentifierIndex: index, VrfProof: rogue.Proof, LogOpening: opening.Opening))
        {
            Opening = storeOpening ? opening : null,
        };
        var result = await Service.Services.GetRequiredService<LogStore>().AppendAsync([write], CancellationToken.None);
        return (result[0].Index, opening);
    }

    /// <summary>Runs the built CLI (<c>dotnet mimi.dll … --server URL</c>) in <see cref="Work"/> and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunMimiAsync(string arguments) =>
        await Tools.RunAsync("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "mimi.dll")} {arguments} --server http://127.0.0.1:{Port}", Work, TimeSpan.FromMinutes(3));

    public async ValueTask DisposeAsync()
    {
        await _witness.DisposeAsync();
        await Service.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }

    private static async Task<string> MimiAsync(string work, string arguments)
    {
        var (code, output) = await Tools.RunAsync("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "mimi.dll")} {arguments}", work, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"mimi {arguments} exited {code}:\n{output}");
        return output;
    }
}
