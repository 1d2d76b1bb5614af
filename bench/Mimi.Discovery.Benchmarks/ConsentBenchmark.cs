using System.Diagnostics;
using System.Net.Http.Headers;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// Consent requests end to end between two local instances found through a real DNS server (dnsmasq, started by
/// bench/run.sh): a hosted client on alpha asks through the client API, alpha's outbox resolves beta (SRV, directory
/// document) and sends a signed requestConsent, beta records it as pending. Baseline, same run: signed requestConsent
/// POSTs straight to beta, one at a time (the outbox sends one message at a time per destination).
/// </summary>
internal static class ConsentBenchmark
{
    public static async Task RunAsync(string dns, int alphaPort, int betaPort, TimeSpan duration)
    {
        var keys = Directory.CreateTempSubdirectory("mimi-bench-consent-").FullName;
        try
        {
            using var alphaKey = ClientCredentials.GenerateEs256("alpha.bench");
            using var betaKey = ClientCredentials.GenerateEs256("beta.bench");
            alphaKey.Save(Path.Combine(keys, "alpha.key"));
            betaKey.Save(Path.Combine(keys, "beta.key"));

            // alpha is also the discovery service both are enrolled at; beta fetches alpha's keys from it.
            await using var alpha = await ServiceHost.StartAsync(null, Settings("alpha.bench", alphaPort, Path.Combine(keys, "alpha.key"), dns, null));
            var alphaUrl = $"http://127.0.0.1:{alphaPort}";
            var op = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(alphaUrl) }, ClientCredentials.Load("operator", Path.Combine(alpha.KeyDirectory, "operator.key")));
            await op.EnrolProviderAsync("alpha.bench", "ops@alpha.bench", [alphaKey.PublicJwk]);
            await op.EnrolProviderAsync("beta.bench", "ops@beta.bench", [betaKey.PublicJwk]);
            await using var beta = await ServiceHost.StartAsync(null, Settings("beta.bench", betaPort, Path.Combine(keys, "beta.key"), dns, alphaUrl));
            var betaUrl = $"http://127.0.0.1:{betaPort}";
            var betaOp = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(betaUrl) }, ClientCredentials.Load("operator", Path.Combine(beta.KeyDirectory, "operator.key")));
            await AddUserAsync(betaOp, betaUrl, "bob", null);
            var alice = await AddUserAsync(op, alphaUrl, "alice", "alice-phone");
            var store = beta.Services.GetRequiredService<ConsentStore>();

            // Baseline: signed requestConsent straight to beta, one at a time.
            using var direct = new HttpClient { BaseAddress = new Uri(betaUrl) };
            var target = "mimi://beta.bench/u/bob";
            var path = $"/mimi/v1/requestConsent/{Uri.EscapeDataString(target)}";
            var directRate = await Measure.RateAsync(async i =>
            {
                var body = ConsentEntry.For(ConsentOperation.Request, new ConsentScope("mimi://alpha.bench/u/direct", target, $"mimi://beta.bench/r/d{Guid.NewGuid():N}")).Encode();
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Headers.Authorization = new AuthenticationHeaderValue(PeerRequestToken.Scheme,
                    PeerRequestToken.Create(alphaKey, "beta.bench", "POST", path, body, DateTimeOffset.UtcNow));
                using var response = await direct.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }, workers: 1, duration);

            // Client API submissions (alpha only; delivery continues in the background).
            var submitted = 0;
            var submitRate = await Measure.RateAsync(async _ =>
            {
                var n = Interlocked.Increment(ref submitted);
                await alice.RequestConsentAsync(target, $"mimi://beta.bench/r/w{n}");
            }, workers: 4, duration, warmup: TimeSpan.Zero);
            await WaitDeliveredAsync(store, target, "mimi://beta.bench/r/w", submitted, TimeSpan.FromMinutes(5));

            // End to end: a batch submitted through alpha's client API, timed until its last request is pending at beta.
            var batch = Math.Max(50, (int)(directRate * duration.TotalSeconds / 2));
            var clock = Stopwatch.StartNew();
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) <= batch)
                {
                    await alice.RequestConsentAsync(target, $"mimi://beta.bench/r/e{n}");
                }
            })));
            await WaitDeliveredAsync(store, target, "mimi://beta.bench/r/e", batch, TimeSpan.FromMinutes(5));

            var endToEnd = batch / clock.Elapsed.TotalSeconds;
            Console.WriteLine();
            Console.WriteLine("### Consent requests (two local instances, SQLite, DNS SRV through dnsmasq)");
            Console.WriteLine();
            Console.WriteLine("| figure | per second | ratio to baseline |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine($"| baseline: signed requestConsent POSTed straight to beta, 1 at a time | {directRate:N0} | 1.00 |");
            Console.WriteLine($"| client API submissions at alpha (4 workers, delivery in the background) | {submitRate:N0} | {submitRate / directRate:N2} |");
            Console.WriteLine($"| end to end: client API → outbox → requestConsent → pending at beta ({batch} requests) | {endToEnd:N0} | {endToEnd / directRate:N2} |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(keys, recursive: true);
        }
    }

    private static Dictionary<string, string?> Settings(string domain, int port, string keyFile, string dns, string? directory) => new()
    {
        ["Urls"] = $"http://127.0.0.1:{port}",
        ["Authority:Issuer"] = $"http://127.0.0.1:{port}",
        ["Log:Origin"] = $"{domain}/bench-log",
        ["Delivery:Domain"] = domain,
        ["Delivery:PublicUrl"] = $"http://{domain}:{port}",
        ["Delivery:DirectoryUrl"] = directory,
        ["Delivery:ProviderKeyFile"] = keyFile,
        ["Delivery:Outbox:PollInterval"] = "00:00:00.050",
        ["Resolution:NameServers:0"] = dns,
        ["Resolution:AllowedAddressRanges:0"] = "127.0.0.0/8",
        ["Resolution:AllowHttp"] = "true",
        ["Consent:RequestsPerUser"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consent:RequestsPerProvider"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consent:MaxPendingPerRequesterDomain"] = "100000",
        ["Consent:MaxPendingPerTarget"] = "1000000",
    };

    private static async Task<MimiDiscoveryClient> AddUserAsync(MimiDiscoveryClient op, string url, string user, string? client)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await op.GetAccessTokenAsync());
        (await http.PostAsJsonAsync("/v1/delivery/users", new Dictionary<string, string> { ["name"] = user, ["consentMode"] = "consent-required" })).EnsureSuccessStatusCode();
        if (client is null)
        {
            return op;
        }

        var credentials = ClientCredentials.GenerateEs256($"mimi://alpha.bench/d/{client}");
        using var jwk = System.Text.Json.JsonDocument.Parse(credentials.PublicJwk);
        (await http.PostAsJsonAsync($"/v1/delivery/users/{user}/clients", new { name = client, jwk = jwk.RootElement })).EnsureSuccessStatusCode();
        return new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(url) }, credentials);
    }

    private static async Task WaitDeliveredAsync(ConsentStore store, string target, string roomPrefix, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await store.GetStandingAsync("mimi://alpha.bench/u/alice", target, default)).Records.Count(r => r.Room?.StartsWith(roomPrefix, StringComparison.Ordinal) == true) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{count} requests ({roomPrefix}…) were not delivered within {timeout}.");
            }

            await Task.Delay(20);
        }
    }
}
