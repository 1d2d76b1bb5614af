using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Sandbox;
using Mimi.Discovery.Server.Peers;
using Npgsql;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// The delivery core under load: a room of 100 members on 10 provider instances (the hub and 9 followers, 10 members
/// each), all in this process on loopback ports, found through a real dnsmasq's SRV records. Members on followers
/// send application messages (client API → follower → signed <c>submitMessage</c> → hub → local inboxes and
/// <c>notify</c> through the outbox → follower inboxes); a message counts once all 99 other members read it from their
/// inbox by long poll. Also KeyPackage claims (<c>keyMaterial</c> through PeerClient between two instances). Baselines
/// in the same run: a bare Kestrel POST round trip, and a signed PeerClient POST to an endpoint that does no work.
/// </summary>
internal static class DeliveryBenchmark
{
    internal const int Providers = 10;
    internal const int MembersPerProvider = 10;
    private const int Recipients = Providers * MembersPerProvider - 1;
    private const int InFlight = 16;
    private const string Dnsmasq = "/usr/sbin/dnsmasq";

    public static async Task RunAsync(string? postgres, TimeSpan duration)
    {
        string mlsDirectory;
        try
        {
            mlsDirectory = MlsPeer.Directory;
        }
        catch (InvalidOperationException)
        {
            mlsDirectory = "";
        }

        if (!File.Exists(Dnsmasq) || !Directory.Exists(Path.Combine(mlsDirectory, "node_modules", "ts-mls")))
        {
            Console.WriteLine("## Delivery: not measured (needs dnsmasq and tests/peers/mls with node_modules; ./test.sh installs both)");
            return;
        }

        await using var mls = await MlsPeer.StartAsync(mlsDirectory);
        await HubVerificationBenchmark.RunAsync(mls, duration);

        await using var network = await BenchNetwork.StartAsync(postgres);
        var room = await network.BuildRoomAsync(mls);

        await using var bare = await BareEndpoint.StartAsync();
        using var bareHttp = new HttpClient();
        var body = room.Message(0);
        var bareRate = await Measure.RateAsync(async _ =>
        {
            using var response = await bareHttp.PostAsync(bare.Url + "/bare", new ByteArrayContent(body));
            response.EnsureSuccessStatusCode();
        }, InFlight, duration);

        // Signed POST through PeerClient (resolution cached, request token signed and verified) to identifierQuery
        // with no query elements: the endpoint answers notFound without touching storage.
        var hubPeers = network.Hub.Services.GetRequiredService<PeerClient>();
        var follower = network.Followers[0];
        var emptyQuery = new IdentifierRequest(default, AppDataDictionary.Empty).Encode();
        var signedRate = await Measure.RateAsync(async _ =>
        {
            var response = await hubPeers.SendAsync(follower.Domain, MimiEndpoint.IdentifierQuery, follower.Domain, emptyQuery, null, CancellationToken.None);
            Expect(response.Status == 200, $"identifierQuery answered {response.Status}: {response.Error}");
        }, InFlight, duration);

        // KeyPackage claims: the hub's provider claims a follower user's last-resort KeyPackage (it repeats).
        var target = follower.Members[0];
        await target.Client.UploadKeyPackagesAsync([(await mls.KeyPackageAsync(target.Name, lastResort: true)).KeyPackage]);
        var requester = network.Hub.Members[0];
        var claim = await DeliveryMessages.KeyMaterialRequestAsync(requester.UserUri, requester.ClientUri, target.UserUri, "",
            MlsCipherSuite.X25519Aes128GcmSha256Ed25519, room.SignatureKeys[requester.Name], (label, content, _) => mls.SignWithLabelAsync(requester.Name, label, content));
        var claimRate = await Measure.RateAsync(async _ =>
        {
            var response = await hubPeers.SendAsync(follower.Domain, MimiEndpoint.KeyMaterial, target.UserUri, claim, null, CancellationToken.None);
            Expect(response.Status == 200 && KeyMaterialResponse.TryDecode(response.Body, out var answer, out TlsError _)
                && answer.UserStatus == KeyMaterialUserCode.Success, $"keyMaterial answered {response.Status}: {response.Error}");
        }, InFlight, duration);

        var loaded = await room.DeliverAsync(InFlight, duration);
        var single = await room.DeliverAsync(1, TimeSpan.FromSeconds(Math.Max(3, duration.TotalSeconds / 2)));

        var storage = postgres is null ? "SQLite per instance" : "a PostgreSQL database per instance (fsync on)";
        Console.WriteLine($"## Delivery (room of {Recipients + 1} members on {Providers} instances, {storage}; {InFlight} requests or undelivered messages in flight; {duration.TotalSeconds:0} s per figure)");
        Console.WriteLine();
        Console.WriteLine("| what | per second | ratio to bare Kestrel POST | ratio to signed peer POST | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| bare Kestrel POST round trip (same body, no work) | {bareRate:N0} | 1.00 | {bareRate / signedRate:F2} | – | – |");
        Console.WriteLine($"| signed peer POST (PeerClient → identifierQuery, no storage) | {signedRate:N0} | {signedRate / bareRate:F2} | 1.00 | – | – |");
        Console.WriteLine($"| KeyPackage claims (PeerClient → keyMaterial, last-resort KeyPackage) | {claimRate:N0} | {claimRate / bareRate:F3} | {claimRate / signedRate:F3} | – | – |");
        Console.WriteLine($"| messages delivered to all {Recipients} inboxes, {InFlight} in flight | {loaded.Rate:N1} | {loaded.Rate / bareRate:F4} | {loaded.Rate / signedRate:F4} | {loaded.P50:F1} | {loaded.P99:F1} |");
        Console.WriteLine($"| inbox items delivered (×{Recipients}), {InFlight} in flight | {loaded.Rate * Recipients:N0} | {loaded.Rate * Recipients / bareRate:F3} | {loaded.Rate * Recipients / signedRate:F3} | – | – |");
        Console.WriteLine($"| messages delivered to all {Recipients} inboxes, one at a time | {single.Rate:N1} | {single.Rate / bareRate:F4} | {single.Rate / signedRate:F4} | {single.P50:F1} | {single.P99:F1} |");
        Console.WriteLine();
        Console.WriteLine($"Latency is submit (client API call at a follower) → the last of the {Recipients} inboxes returned it to its long poll. " +
            "Membership is real: ts-mls made the room's group and 9 commits adding 11 members each, from KeyPackages claimed through keyMaterial; " +
            "the hub routed the Welcomes by those claims. The application messages are synthetic: well-formed PrivateMessages (application content type, " +
            "the room's group_id and epoch) whose sender data and ciphertext are random bytes, since the delivery service never decrypts them.");
        Console.WriteLine();
    }

    internal static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }
}

/// <summary>A discovery service, dnsmasq and ten provider instances; SQLite, or a PostgreSQL database each.</summary>
internal sealed class BenchNetwork : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<string> _databases = [];
    private string? _postgres;

    public BenchProvider Hub => Providers[0];

    public IReadOnlyList<BenchProvider> Followers => Providers.Skip(1).ToList();

    public List<BenchProvider> Providers { get; } = [];

    public static async Task<BenchNetwork> StartAsync(string? postgres)
    {
        var network = new BenchNetwork { _postgres = postgres };
        try
        {
            await network.StartAllAsync();
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync()
    {
        var discoveryPort = FreePort();
        var discovery = await ServiceHost.StartAsync(await DatabaseAsync(), new Dictionary<string, string?>
        {
            ["Authority:Issuer"] = $"http://127.0.0.1:{discoveryPort}",
            ["Urls"] = $"http://127.0.0.1:{discoveryPort}",
        });
        _owned.Add(discovery);
        var admin = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{discoveryPort}") },
            ClientCredentials.Load("operator", Path.Combine(discovery.KeyDirectory, "operator.key")));

        var domains = Enumerable.Range(0, DeliveryBenchmark.Providers).Select(i => $"p{i}.bench.test").ToList();
        var ports = domains.ToDictionary(d => d, _ => FreePort(), StringComparer.Ordinal);
        var dns = await DnsmasqProcess.StartAsync(ports.SelectMany(p => new[]
        {
            $"--srv-host=_mimi._tcp.{p.Key},{p.Key},{p.Value},0,10",
            $"--host-record={p.Key},127.0.0.1",
        }));
        _owned.Add(dns);

        var keys = Directory.CreateTempSubdirectory("mimi-bench-keys-").FullName;
        _owned.Add(new Deletion(keys));
        foreach (var domain in domains)
        {
            var credentials = ClientCredentials.GenerateEs256(domain);
            var keyFile = Path.Combine(keys, domain + ".key");
            credentials.Save(keyFile);
            await admin.EnrolProviderAsync(domain, "ops@" + domain, [credentials.PublicJwk]);
            var port = ports[domain];
            var host = await ServiceHost.StartAsync(await DatabaseAsync(), new Dictionary<string, string?>
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["Authority:Issuer"] = $"http://127.0.0.1:{port}",
                ["Delivery:Domain"] = domain,
                ["Delivery:PublicUrl"] = $"http://{domain}:{port}",
                ["Delivery:DirectoryUrl"] = $"http://127.0.0.1:{discoveryPort}",
                ["Delivery:ProviderKeyFile"] = keyFile,
                ["Delivery:KeyPackageClaims:PerRequester"] = "10000000",
                ["Delivery:KeyPackageClaims:Total"] = "100000000",
                ["Delivery:IdentifierQueries:PerRequester"] = "10000000",
                ["Resolution:NameServers:0"] = dns.EndPoint,
                ["Resolution:AllowedAddressRanges:0"] = "127.0.0.0/8",
                ["Resolution:AllowHttp"] = "true",
            });
            _owned.Add(host);
            var provider = new BenchProvider(domain, $"http://127.0.0.1:{port}", host);
            await provider.AddMembersAsync(DeliveryBenchmark.MembersPerProvider);
            Providers.Add(provider);
        }
    }

    /// <summary>Builds the room at the hub with real MLS: one group, 99 claims, one commit adding them all.</summary>
    public async Task<BenchRoom> BuildRoomAsync(MlsPeer mls)
    {
        var members = Providers.SelectMany(p => p.Members).ToList();
        var signatureKeys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            signatureKeys[member.Name] = await mls.CreateClientAsync(member.Name, member.ClientUri);
        }

        var creator = Hub.Members[0];
        var roomId = $"mimi://{Hub.Domain}/r/bench";
        var groupId = Encoding.UTF8.GetBytes(roomId);
        var created = await mls.CreateGroupAsync(creator.Name, roomId);
        await creator.Client.CreateRoomAsync("bench", created.GroupInfo, created.RatchetTree);
        var keyPackages = new List<byte[]>();
        foreach (var member in members.Skip(1))
        {
            await member.Client.UploadKeyPackagesAsync([(await mls.KeyPackageAsync(member.Name)).KeyPackage]);
            var request = await DeliveryMessages.KeyMaterialRequestAsync(creator.UserUri, creator.ClientUri, member.UserUri, roomId,
                MlsCipherSuite.X25519Aes128GcmSha256Ed25519, signatureKeys[creator.Name], (label, content, _) => mls.SignWithLabelAsync(creator.Name, label, content));
            if (!KeyMaterialResponse.TryDecode(await creator.Client.ClaimKeyMaterialAsync(request), out var answer, out _)
                || answer.UserStatus != KeyMaterialUserCode.Success)
            {
                throw new InvalidOperationException($"The claim of {member.UserUri} failed.");
            }

            keyPackages.Add([0, 1, 0, (byte)MlsWireFormat.KeyPackage, .. answer.Clients[0].KeyPackage!.Encoded.Span]);
        }

        // One commit adding all 99 would exceed the request size limit (64 KiB): add them 11 at a time, 9 commits.
        const int batch = 11;
        var batches = (keyPackages.Count + batch - 1) / batch;
        MlsPeerCommit? commit = null;
        for (var b = 0; b < batches; b++)
        {
            commit = await mls.AddMemberAsync(creator.Name, roomId, keyPackages.Skip(b * batch).Take(batch));
            if (!MlsMessage.TryDecode(commit.Commit, out var commitMessage, out _) || !MlsMessage.TryDecode(commit.Welcome, out var welcome, out _)
                || !MlsMessage.TryDecode(commit.GroupInfo, out var groupInfo, out _))
            {
                throw new InvalidOperationException("ts-mls gave a commit bundle that does not decode.");
            }

            var prefix = (commit.RatchetTree[0] >> 6) switch { 0 => 1, 1 => 2, _ => 4 };
            var tree = new RatchetTreeOption(RatchetTreeRepresentation.Full, ByteString.CopyFrom(commit.RatchetTree[prefix..]), null, ByteString.Empty);
            var update = new UpdateRequest(HandshakeBundle.ForCommit(commitMessage, welcome.Welcome, GroupInfoOption.Full(groupInfo.GroupInfo!), tree)).Encode();
            Expect(UpdateRoomResponse.TryDecode(await creator.Client.UpdateRoomAsync(roomId, update), out var accepted, out _)
                && accepted.ResponseCode == UpdateResponseCode.Success, $"the hub refused commit {b + 1} of {batches}");
        }

        // Every new member gets its Welcome, then the commits after its own; reading starts after the last of them.
        var starts = new long[members.Count];
        for (var i = 1; i < members.Count; i++)
        {
            var expected = 1 + batches - 1 - ((i - 1) / batch);
            var items = new List<InboxItem>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (items.Count < expected && DateTime.UtcNow < deadline)
            {
                var page = await members[i].Client.ReadInboxAsync(starts[i], TimeSpan.FromSeconds(5));
                items.AddRange(page.Items);
                starts[i] = page.Last;
            }

            Expect(items.Count == expected && items[0].Kind == "welcome", $"{members[i].ClientUri} got {items.Count} of {expected} items, starting with a Welcome");
        }

        return new BenchRoom(roomId, groupId, commit!.Epoch, members, starts, signatureKeys);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        if (_postgres is not null && _databases.Count > 0)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgres);
            await connection.OpenAsync();
            foreach (var database in _databases)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    private async Task<string?> DatabaseAsync()
    {
        if (_postgres is null)
        {
            return null;
        }

        var name = "mimi_bench_delivery_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = new NpgsqlConnection(_postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(_postgres) { Database = name }.ConnectionString;
    }

    private static void Expect(bool condition, string failure) => DeliveryBenchmark.Expect(condition, failure);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Deletion(string directory) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Directory.Delete(directory, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed record BenchMember(string Name, string UserUri, string ClientUri, MimiDiscoveryClient Client);

/// <summary>One provider instance with its hosted members (one client each, consent mode open).</summary>
internal sealed class BenchProvider(string domain, string url, ServiceHost host)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };

    public string Domain { get; } = domain;

    public IServiceProvider Services => host.Services;

    public List<BenchMember> Members { get; } = [];

    public async Task AddMembersAsync(int count)
    {
        var admin = new MimiDiscoveryClient(_http, ClientCredentials.Load("operator", Path.Combine(host.KeyDirectory, "operator.key")));
        var token = await admin.GetAccessTokenAsync();
        var prefix = Domain[..Domain.IndexOf('.', StringComparison.Ordinal)];
        for (var i = 0; i < count; i++)
        {
            var name = $"{prefix}m{i}";
            using var createUser = new HttpRequestMessage(HttpMethod.Post, "/v1/delivery/users") { Content = JsonContent.Create(new { name, consentMode = "open" }) };
            createUser.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await _http.SendAsync(createUser)).EnsureSuccessStatusCode();
            var credentials = ClientCredentials.GenerateEs256($"mimi://{Domain}/d/{name}-phone");
            using var addClient = new HttpRequestMessage(HttpMethod.Post, $"/v1/delivery/users/{name}/clients")
            {
                Content = JsonContent.Create(new { name = name + "-phone", jwk = System.Text.Json.JsonDocument.Parse(credentials.PublicJwk).RootElement }),
            };
            addClient.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await _http.SendAsync(addClient)).EnsureSuccessStatusCode();
            Members.Add(new BenchMember(name, $"mimi://{Domain}/u/{name}", $"mimi://{Domain}/d/{name}-phone", new MimiDiscoveryClient(_http, credentials)));
        }
    }
}

/// <summary>The room's members and the synthetic messages sent through it.</summary>
internal sealed class BenchRoom(string roomId, byte[] groupId, ulong epoch, IReadOnlyList<BenchMember> members, long[] starts,
    IReadOnlyDictionary<string, byte[]> signatureKeys)
{
    /// <summary>Each member's ts-mls signature public key, by member name (the key its claims are signed with).</summary>
    public IReadOnlyDictionary<string, byte[]> SignatureKeys => signatureKeys;

    private long _nextId;
    private long _delivered;

    /// <summary>A PrivateMessage at the room's epoch whose last 8 bytes (inside the ciphertext) number it.</summary>
    public byte[] Message(long id)
    {
        using var w = new TlsWriter(256);
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)MlsWireFormat.PrivateMessage);
        w.WriteOpaque(groupId, TlsLengthPrefix.Varint);
        w.WriteUInt64(epoch);
        w.WriteUInt8((byte)MlsContentType.Application);
        w.WriteOpaque([], TlsLengthPrefix.Varint);
        w.WriteOpaque(RandomNumberGenerator.GetBytes(28), TlsLengthPrefix.Varint);
        var ciphertext = RandomNumberGenerator.GetBytes(120);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(ciphertext.AsSpan(^8), id);
        w.WriteOpaque(ciphertext, TlsLengthPrefix.Varint);
        var bytes = w.ToArray();
        DeliveryBenchmark.Expect(MlsMessage.TryDecode(bytes, out var decoded, out _) && decoded.ContentType == MlsContentType.Application
            && decoded.Epoch == epoch, "the synthetic PrivateMessage does not decode");
        return bytes;
    }

    /// <summary>
    /// Senders on the followers keep <paramref name="inFlight"/> messages undelivered at most; every member except
    /// the sender long-polls its inbox. Returns delivered messages per second and submit → last inbox latency (ms).
    /// </summary>
    public async Task<(double Rate, double P50, double P99)> DeliverAsync(int inFlight, TimeSpan duration)
    {
        var pending = new ConcurrentDictionary<long, Pending>();
        var latencies = new ConcurrentBag<double>();
        var window = new SemaphoreSlim(inFlight);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, members.Count).Select(i => Task.Run(() => ReadAsync(i, pending, latencies, window, stop.Token))).ToList();
        var senders = members.Where(m => !m.ClientUri.StartsWith(roomId[..roomId.IndexOf("/r/", StringComparison.Ordinal)], StringComparison.Ordinal)).ToList();

        var warmup = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        await SendUntilAsync(senders, pending, window, warmup, inFlight);
        await DrainAsync(pending);
        latencies.Clear();

        var started = Stopwatch.GetTimestamp();
        var before = Interlocked.Read(ref _delivered);
        await SendUntilAsync(senders, pending, window, started + (long)(duration.TotalSeconds * Stopwatch.Frequency), inFlight);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var delivered = Interlocked.Read(ref _delivered) - before;
        await DrainAsync(pending);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var samples = latencies.ToArray();
        Array.Sort(samples);
        return (delivered / elapsed, samples[samples.Length / 2], samples[(int)(samples.Length * 0.99)]);
    }

    private async Task SendUntilAsync(List<BenchMember> senders, ConcurrentDictionary<long, Pending> pending, SemaphoreSlim window, long until, int workers)
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                if (!await window.WaitAsync(TimeSpan.FromMilliseconds(200)))
                {
                    continue;
                }

                var id = Interlocked.Increment(ref _nextId);
                var message = Message(id);
                pending[id] = new Pending(Stopwatch.GetTimestamp());
                var sender = senders[(int)(id % senders.Count)];
                var answer = await sender.Client.SubmitMessageAsync(roomId, message);
                DeliveryBenchmark.Expect(SubmitMessageResponse.TryDecode(answer, out var submitted, out _) && submitted.StatusCode == SubmitResponseCode.Accepted,
                    "the hub did not accept a message");
            }
        })));
    }

    private static async Task DrainAsync(ConcurrentDictionary<long, Pending> pending)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!pending.IsEmpty)
        {
            DeliveryBenchmark.Expect(DateTime.UtcNow < deadline, $"{pending.Count} message(s) were not delivered to every inbox within 2 minutes");
            await Task.Delay(20);
        }
    }

    private async Task ReadAsync(int member, ConcurrentDictionary<long, Pending> pending, ConcurrentBag<double> latencies, SemaphoreSlim window, CancellationToken ct)
    {
        var client = members[member].Client;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var page = await client.ReadInboxAsync(starts[member], TimeSpan.FromSeconds(5), ct);
                foreach (var item in page.Items)
                {
                    var id = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(item.MessageBytes.AsSpan(^8));
                    if (pending.TryGetValue(id, out var waiting) && waiting.Reach() == members.Count - 1)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(waiting.Submitted).TotalMilliseconds);
                        pending.TryRemove(id, out _);
                        Interlocked.Increment(ref _delivered);
                        window.Release();
                    }
                }

                starts[member] = page.Last;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private sealed class Pending(long submitted)
    {
        public long Submitted { get; } = submitted;

        private int _reached;

        /// <summary>How many inboxes returned the message so far.</summary>
        public int Reach() => Interlocked.Increment(ref _reached);
    }
}

/// <summary>dnsmasq on a loopback port answering only the records it was started with (what bench/run.sh has no part in).</summary>
internal sealed class DnsmasqProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DnsmasqProcess(Process process, int port)
    {
        _process = process;
        EndPoint = $"127.0.0.1:{port}";
    }

    public string EndPoint { get; }

    public static async Task<DnsmasqProcess> StartAsync(IEnumerable<string> records)
    {
        int port;
        using (var udp = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
        {
            port = ((System.Net.IPEndPoint)udp.Client.LocalEndPoint!).Port;
        }

        var info = new ProcessStartInfo("/usr/sbin/dnsmasq") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=", $"--port={port}",
            "--listen-address=127.0.0.1", "--bind-interfaces", "--local=/test/", "--local-ttl=60", "--cache-size=0",
        }.Concat(records))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dnsmasq");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DnsmasqProcess(process, port);
        var probe = new DnsClient.LookupClient(new DnsClient.LookupClientOptions(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port))
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
            ThrowDnsErrors = false,
        });
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                await probe.QueryAsync("probe.test", DnsClient.QueryType.A);
                return server;
            }
            catch (DnsClient.DnsResponseException)
            {
                await Task.Delay(100);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"dnsmasq did not answer on 127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
