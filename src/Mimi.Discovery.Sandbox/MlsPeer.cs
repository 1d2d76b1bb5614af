using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Mimi.Discovery.Protocol;

namespace Mimi.Discovery.Sandbox;

/// <summary>
/// Real MLS clients for the demo and the tests: one <c>node peer.mjs</c> process (tests/peers/mls, ts-mls) holding any number of
/// named clients, driven over JSON lines. Requests are correlated by id, so calls may overlap; the peer answers them
/// in order. A missing node, a missing <c>npm ci</c> or a peer failure fails the call loudly with node's stderr —
/// tests never skip. Byte strings are raw bytes here (base64 on the wire); group ids are text (MIMI room URIs).
/// </summary>
public sealed class MlsPeer : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private long _nextId;

    private MlsPeer(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stderr)
            {
                // Keep the tail: what node said last explains a failure.
                if (_stderr.Length > 64 * 1024)
                {
                    _stderr.Remove(0, _stderr.Length - (32 * 1024));
                }

                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _reader = Task.Run(ReadResponsesAsync);
    }

    /// <summary>The ts-mls version the peer runs.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>What node wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The repository's tests/peers/mls folder, found above the working directory or the binaries.</summary>
    /// <exception cref="InvalidOperationException">No such folder above either.</exception>
    public static string Directory =>
        FindDirectory() ?? throw new InvalidOperationException($"tests/peers/mls/peer.mjs not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}.");

    /// <summary>The repository's tests/peers/mls folder, found above the working directory or the binaries; null when neither has it.</summary>
    public static string? FindDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "peers", "mls");
                if (File.Exists(Path.Combine(candidate, "peer.mjs")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Starts the peer and checks that it answers.</summary>
    /// <exception cref="InvalidOperationException">node or the peer's node_modules is missing, or the peer does not start.</exception>
    public static async Task<MlsPeer> StartAsync(string? peerDirectory = null)
    {
        var directory = peerDirectory ?? Directory;
        if (!System.IO.Directory.Exists(Path.Combine(directory, "node_modules", "ts-mls")))
        {
            throw new InvalidOperationException($"The MLS peer is not installed: {directory}/node_modules/ts-mls is missing. Run ./test.sh (it runs 'npm ci' in tests/peers/mls).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("peer.mjs");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start 'node' for the MLS peer (is Node.js 20 installed and on PATH?): {e.Message}", e);
        }

        var peer = new MlsPeer(process);
        try
        {
            var pong = await peer.CallAsync("ping", new());
            peer.Version = pong.GetProperty("version").GetString()!;
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one request and returns the response object (without its id).</summary>
    /// <exception cref="MlsPeerException">The peer answered with an error, exited, or did not answer in time.</exception>
    public async Task<JsonElement> CallAsync(string op, JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject { ["id"] = id, ["op"] = op };
        foreach (var (key, value) in arguments)
        {
            request[key] = value?.DeepClone();
        }

        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        if (_process.HasExited)
        {
            _pending.TryRemove(id, out _);
            throw Failure($"{op}: the MLS peer has exited (code {_process.ExitCode})");
        }

        await _writeLock.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(request.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException e)
        {
            _pending.TryRemove(id, out _);
            throw Failure($"{op}: could not write to the MLS peer ({e.Message})");
        }
        finally
        {
            _writeLock.Release();
        }

        JsonElement response;
        try
        {
            response = await answer.Task.WaitAsync(CallTimeout);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            throw Failure($"{op}: no answer from the MLS peer within {CallTimeout.TotalSeconds} s");
        }

        if (response.TryGetProperty("error", out var error))
        {
            throw Failure(error.GetString() ?? op);
        }

        return response;
    }

    /// <summary><c>createClient</c>: a client with a basic credential whose identity is <paramref name="identity"/> (its MIMI URI). Returns its signature public key.</summary>
    public async Task<byte[]> CreateClientAsync(string name, string identity, MlsCipherSuite cipherSuite = MlsCipherSuite.X25519Aes128GcmSha256Ed25519)
    {
        var r = await CallAsync("createClient", new() { ["name"] = name, ["identity"] = identity, ["cipherSuite"] = (int)cipherSuite });
        return Bytes(r, "signatureKey");
    }

    /// <summary>
    /// <c>keyPackage</c>: a fresh KeyPackage of the client as an MLSMessage (mls_key_package), and its KeyPackageRef as
    /// ts-mls computes it. The private keys stay in the peer. Lifetime bounds are Unix seconds (defaults: now - 60 s, now + 7 days).
    /// </summary>
    public async Task<MlsPeerKeyPackage> KeyPackageAsync(string name, bool lastResort = false, long? notBefore = null, long? notAfter = null)
    {
        var arguments = new JsonObject { ["name"] = name, ["lastResort"] = lastResort };
        if (notBefore is { } nb)
        {
            arguments["notBefore"] = nb;
        }

        if (notAfter is { } na)
        {
            arguments["notAfter"] = na;
        }

        var r = await CallAsync("keyPackage", arguments);
        return new MlsPeerKeyPackage(Bytes(r, "keyPackage"), Bytes(r, "keyPackageRef"));
    }

    /// <summary>
    /// <c>createGroup</c>: the client creates group <paramref name="groupId"/> (epoch 0) with itself as the only member.
    /// Returns the epoch-0 GroupInfo and ratchet tree with it.
    /// </summary>
    public async Task<MlsPeerGroup> CreateGroupAsync(string name, string groupId)
    {
        var r = await CallAsync("createGroup", new() { ["name"] = name, ["groupId"] = groupId });
        return new MlsPeerGroup(r.GetProperty("groupId").GetString()!, r.GetProperty("epoch").GetUInt64(), Bytes(r, "groupInfo"), Bytes(r, "ratchetTree"));
    }

    /// <summary>
    /// <c>addMember</c>: the client commits Add proposals for the KeyPackages (MLSMessages) and merges its own commit
    /// at once. The commit is a PublicMessage unless <paramref name="privateCommit"/>; the ratchet tree travels
    /// separately unless <paramref name="ratchetTreeInWelcome"/> puts it in the Welcome's GroupInfo.
    /// </summary>
    public async Task<MlsPeerCommit> AddMemberAsync(string name, string groupId, IEnumerable<byte[]> keyPackages, bool privateCommit = false, bool ratchetTreeInWelcome = false)
    {
        ArgumentNullException.ThrowIfNull(keyPackages);
        var list = new JsonArray();
        foreach (var keyPackage in keyPackages)
        {
            list.Add(Convert.ToBase64String(keyPackage));
        }

        var r = await CallAsync("addMember", new()
        {
            ["name"] = name,
            ["groupId"] = groupId,
            ["keyPackages"] = list,
            ["privateCommit"] = privateCommit,
            ["ratchetTreeInWelcome"] = ratchetTreeInWelcome,
        });
        return new MlsPeerCommit(Bytes(r, "commit"), Bytes(r, "welcome"), Bytes(r, "groupInfo"), Bytes(r, "ratchetTree"), r.GetProperty("epoch").GetUInt64());
    }

    private static MlsPeerCommit Committed(JsonElement r) =>
        new(Bytes(r, "commit"), r.TryGetProperty("welcome", out _) ? Bytes(r, "welcome") : [], Bytes(r, "groupInfo"), Bytes(r, "ratchetTree"), r.GetProperty("epoch").GetUInt64());

    /// <summary><c>addMember</c> with one KeyPackage.</summary>
    public Task<MlsPeerCommit> AddMemberAsync(string name, string groupId, byte[] keyPackage, bool privateCommit = false, bool ratchetTreeInWelcome = false) =>
        AddMemberAsync(name, groupId, [keyPackage], privateCommit, ratchetTreeInWelcome);

    /// <summary>
    /// <c>join</c>: the client joins from a Welcome (MLSMessage) naming one of its KeyPackages; the ratchet tree is
    /// needed unless the Welcome carries it. Returns the group id and epoch.
    /// </summary>
    public async Task<(string GroupId, ulong Epoch)> JoinAsync(string name, byte[] welcome, byte[]? ratchetTree = null)
    {
        var arguments = new JsonObject { ["name"] = name, ["welcome"] = Convert.ToBase64String(welcome) };
        if (ratchetTree is not null)
        {
            arguments["ratchetTree"] = Convert.ToBase64String(ratchetTree);
        }

        var r = await CallAsync("join", arguments);
        return (r.GetProperty("groupId").GetString()!, r.GetProperty("epoch").GetUInt64());
    }

    /// <summary>
    /// <c>encrypt</c>: an application message (MLSMessage, PrivateMessage) from the client to the group, with
    /// <paramref name="authenticatedData"/> as its authenticated_data (empty when null).
    /// </summary>
    public async Task<byte[]> EncryptAsync(string name, string groupId, byte[] plaintext, byte[]? authenticatedData = null)
    {
        var arguments = new JsonObject { ["name"] = name, ["groupId"] = groupId, ["plaintext"] = Convert.ToBase64String(plaintext) };
        if (authenticatedData is not null)
        {
            arguments["authenticatedData"] = Convert.ToBase64String(authenticatedData);
        }

        var r = await CallAsync("encrypt", arguments);
        return Bytes(r, "message");
    }

    /// <summary><c>process</c>: the client processes a PublicMessage or PrivateMessage of one of its groups.</summary>
    public async Task<MlsPeerProcessed> ProcessAsync(string name, byte[] message)
    {
        var r = await CallAsync("process", new() { ["name"] = name, ["message"] = Convert.ToBase64String(message) });
        return new MlsPeerProcessed(
            r.GetProperty("kind").GetString()!,
            r.GetProperty("epoch").GetUInt64(),
            r.TryGetProperty("plaintext", out var plaintext) ? Convert.FromBase64String(plaintext.GetString()!) : null);
    }

    /// <summary><c>epoch</c>: the client's current epoch in the group.</summary>
    public async Task<ulong> EpochAsync(string name, string groupId)
    {
        var r = await CallAsync("epoch", new() { ["name"] = name, ["groupId"] = groupId });
        return r.GetProperty("epoch").GetUInt64();
    }

    /// <summary><c>members</c>: the credential identities of the group's members, as the client sees them.</summary>
    public async Task<string[]> MembersAsync(string name, string groupId)
    {
        var r = await CallAsync("members", new() { ["name"] = name, ["groupId"] = groupId });
        return [.. r.GetProperty("identities").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary><c>removeMember</c>: the client commits (PublicMessage) the removal of the member whose credential identity is <paramref name="identity"/>.</summary>
    public async Task<MlsPeerCommit> RemoveMemberAsync(string name, string groupId, string identity)
    {
        var r = await CallAsync("removeMember", new() { ["name"] = name, ["groupId"] = groupId, ["identity"] = identity });
        return Committed(r);
    }

    /// <summary>
    /// <c>groupState</c>: the client's view of the group — epoch, tree hash, transcript hashes, members by leaf index
    /// and its own leaf index.
    /// </summary>
    public async Task<MlsPeerGroupState> GroupStateAsync(string name, string groupId)
    {
        var r = await CallAsync("groupState", new() { ["name"] = name, ["groupId"] = groupId });
        return new MlsPeerGroupState(
            r.GetProperty("epoch").GetUInt64(),
            Bytes(r, "treeHash"),
            Bytes(r, "confirmedTranscriptHash"),
            Bytes(r, "interimTranscriptHash"),
            [.. r.GetProperty("members").EnumerateArray().Select(e => e.GetString()!)],
            [.. r.GetProperty("leafIndices").EnumerateArray().Select(e => e.GetUInt32())],
            r.GetProperty("leafIndex").GetUInt32());
    }

    /// <summary>
    /// <c>update</c>: the client commits (PublicMessage) an empty proposal list, so the commit carries an UpdatePath
    /// that refreshes its leaf and direct path. Proposals pending at the client are left out of it.
    /// </summary>
    public async Task<MlsPeerCommit> UpdateAsync(string name, string groupId) =>
        Committed(await CallAsync("update", new() { ["name"] = name, ["groupId"] = groupId }));

    /// <summary>
    /// <c>propose</c>: a standalone proposal (PublicMessage) from the client, which keeps it pending as if received:
    /// <see cref="MlsPeerProposalKind.Add"/> needs <paramref name="keyPackage"/> (MLSMessage),
    /// <see cref="MlsPeerProposalKind.Remove"/> the member's credential <paramref name="identity"/>, and
    /// <see cref="MlsPeerProposalKind.Update"/> nothing (a fresh leaf key the client uses once another member commits it).
    /// </summary>
    public async Task<MlsPeerProposal> ProposeAsync(string name, string groupId, MlsPeerProposalKind kind, byte[]? keyPackage = null, string? identity = null)
    {
        var arguments = new JsonObject
        {
            ["name"] = name,
            ["groupId"] = groupId,
            ["kind"] = kind switch
            {
                MlsPeerProposalKind.Add => "add",
                MlsPeerProposalKind.Remove => "remove",
                MlsPeerProposalKind.Update => "update",
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a proposal kind."),
            },
        };
        if (keyPackage is not null)
        {
            arguments["keyPackage"] = Convert.ToBase64String(keyPackage);
        }

        if (identity is not null)
        {
            arguments["identity"] = identity;
        }

        var r = await CallAsync("propose", arguments);
        return new MlsPeerProposal(Bytes(r, "message"), Bytes(r, "proposalRef"));
    }

    /// <summary>
    /// <c>commitPending</c>: the client commits (PublicMessage), by reference, every proposal it has sent or received in
    /// the epoch (its own Update proposals excepted). The Welcome is empty unless the proposals add members.
    /// </summary>
    public async Task<MlsPeerCommit> CommitPendingAsync(string name, string groupId) =>
        Committed(await CallAsync("commitPending", new() { ["name"] = name, ["groupId"] = groupId }));

    /// <summary><c>signWithLabel</c>: RFC 9420 SignWithLabel with the client's signature key (<paramref name="label"/> without "MLS 1.0 ").</summary>
    public async Task<byte[]> SignWithLabelAsync(string name, string label, byte[] content)
    {
        var r = await CallAsync("signWithLabel", new() { ["name"] = name, ["label"] = label, ["content"] = Convert.ToBase64String(content) });
        return Bytes(r, "signature");
    }

    /// <summary><c>hpkeKeyPair</c>: a fresh HPKE key pair of the client's suite; returns the public key, keeps the private one for <see cref="OpenWithLabelAsync"/>.</summary>
    public async Task<byte[]> HpkeKeyPairAsync(string name) => Bytes(await CallAsync("hpkeKeyPair", new() { ["name"] = name }), "publicKey");

    /// <summary><c>openWithLabel</c>: RFC 9420 DecryptWithLabel with the client's latest HPKE key pair.</summary>
    public async Task<byte[]> OpenWithLabelAsync(string name, string label, byte[] context, byte[] kemOutput, byte[] ciphertext)
    {
        var r = await CallAsync("openWithLabel", new()
        {
            ["name"] = name,
            ["label"] = label,
            ["context"] = Convert.ToBase64String(context),
            ["kemOutput"] = Convert.ToBase64String(kemOutput),
            ["ciphertext"] = Convert.ToBase64String(ciphertext),
        });
        return Bytes(r, "plaintext");
    }

    /// <summary>
    /// <c>joinExternal</c>: the client joins by external commit from a GroupInfo (MLSMessage with external_pub) and the
    /// TLS-encoded ratchet tree; it is in the group at once. The result has no Welcome.
    /// </summary>
    public async Task<MlsPeerCommit> JoinExternalAsync(string name, byte[] groupInfo, byte[] ratchetTree)
    {
        var r = await CallAsync("joinExternal", new()
        {
            ["name"] = name,
            ["groupInfo"] = Convert.ToBase64String(groupInfo),
            ["ratchetTree"] = Convert.ToBase64String(ratchetTree),
        });
        return Committed(r);
    }

    /// <summary>Closes the peer's stdin, lets it finish, and kills it if it does not.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }

            await _reader;
        }
        finally
        {
            _process.Dispose();
            _writeLock.Dispose();
        }
    }

    private static byte[] Bytes(JsonElement response, string name) => Convert.FromBase64String(response.GetProperty(name).GetString()!);

    private MlsPeerException Failure(string message)
    {
        var stderr = StandardError.Trim();
        return new MlsPeerException(stderr.Length == 0 ? message : $"{message}\nnode stderr:\n{stderr}");
    }

    private async Task ReadResponsesAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && _pending.TryRemove(id.GetInt64(), out var answer))
                {
                    answer.TrySetResult(root.Clone());
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException or ObjectDisposedException)
        {
            FailAll($"the MLS peer's output broke off: {e.Message}");
            return;
        }

        // stdout closed: the peer has exited; let stderr drain so the failure shows why.
        await _process.WaitForExitAsync();
        FailAll($"the MLS peer exited (code {_process.ExitCode})");
    }

    private void FailAll(string reason)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var answer))
            {
                answer.TrySetException(Failure(reason));
            }
        }
    }
}
