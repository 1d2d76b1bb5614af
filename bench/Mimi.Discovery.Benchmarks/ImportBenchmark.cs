using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Npgsql;
using NpgsqlTypes;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// Bulk import into PostgreSQL through the real endpoint (<c>POST /v1/authority/import</c>, NDJSON over HTTP), in rows
/// per second, next to baselines measured in the same run: raw ECDSA P-256 signatures per second on every core
/// (each row costs one at import, its X.509 credential; its mapping assertion is signed where it is first served), raw
/// VRF evaluations (each row costs one, its identifier index; the proof is computed where first served) and raw binary
/// COPY of rows as wide as a credential row.
/// </summary>
internal static class ImportBenchmark
{
    public static async Task RunAsync(string? postgres)
    {
        if (postgres is null)
        {
            Console.WriteLine("## Bulk import: not measured (needs MIMI_BENCH_POSTGRES; bench/run.sh provides it)");
            return;
        }

        var rows = int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_IMPORT_ROWS") ?? "200000", CultureInfo.InvariantCulture);
        var workers = Environment.ProcessorCount;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = RandomNumberGenerator.GetBytes(400);
        var signatures = Measure.Rate(() => key.SignData(message, HashAlgorithmName.SHA256), workers, TimeSpan.FromSeconds(3));

        var database = await FreshDatabaseAsync(postgres, "mimi_bench_import");
        var copy = await RawCopyRateAsync(database, Math.Min(rows, 200_000));

        var port = LookupBenchmark.FreePort();
        await using var host = await ServiceHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Authority:Issuer"] = $"http://127.0.0.1:{port}",
            // The import itself: the private-record builder would otherwise start OPRF work on the imported rows mid-run.
            ["PrivateLookup:Enabled"] = "false",
        });
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
        var admin = new MimiDiscoveryClient(http, ClientCredentials.Load("operator", Path.Combine(host.KeyDirectory, "operator.key")));
        using var provider = ClientCredentials.GenerateEs256("import.test");
        await admin.EnrolProviderAsync("import.test", "ops@import.test", [provider.PublicJwk], trusted: true);
        var client = new MimiDiscoveryClient(http, provider);

        if (Environment.GetEnvironmentVariable("MIMI_BENCH_VERBOSE") is not null)
        {
            await ComponentRatesAsync(host, key);
        }

        using var user = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Warm-up: connections, prepared statements and the JIT's tiers (a running service imports with optimised code),
        // in rounds of 20,000 rows.
        var spki = user.ExportSubjectPublicKeyInfo();
        var next = 0;
        await Measure.UntilJitSettlesAsync("import", async () =>
        {
            await client.ImportAsync(new MemoryStream(Rows(next, next + 20_000, spki)));
            next += 20_000;
        }, quiet: 20);
        var body = Rows(next, next + rows, spki);
        var started = Stopwatch.GetTimestamp();
        var result = await client.ImportAsync(new MemoryStream(body));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (result.Imported != rows || result.Rejected != 0)
        {
            throw new InvalidOperationException($"The import took {result.Imported} of {rows} rows ({result.Rejected} rejected).");
        }

        // The machine is shared and its load drifts: the signing baseline is the mean of one measured before and one after.
        signatures = (signatures + Measure.Rate(() => key.SignData(message, HashAlgorithmName.SHA256), workers, TimeSpan.FromSeconds(3))) / 2;
        var assertions = AssertionRate(host, workers);
        var evaluations = VrfEvaluationRate(host, workers);
        var indexed = await IndexedWriteRateAsync(database);
        // Signing and PostgreSQL's writing share these cores: a row costs workers/signatures core-seconds of the one and
        // 1/indexed of the other (one backend), so no import on this machine passes their sum, whatever its pipeline.
        // Since the indexed log, a row also costs one VRF evaluation (its identifier index): the bound with it.
        var bound = workers / ((workers / signatures) + (1 / indexed));
        var indexedBound = workers / ((workers / signatures) + (workers / evaluations) + (1 / indexed));
        var rate = rows / seconds;
        Console.WriteLine($"## Bulk import into PostgreSQL ({rows:N0} rows through POST /v1/authority/import, {workers} cores)");
        Console.WriteLine();
        Console.WriteLine("| what | rows/s | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| raw ECDSA P-256 signatures/s (.NET, {workers} threads): one per row, the X.509 credential | {signatures:N0} | 1.00 (signing bound) |");
        Console.WriteLine($"| raw binary COPY of credential-sized rows (primary key only, serials in order) | {copy:N0} | {copy / signatures:F2} |");
        Console.WriteLine($"| PostgreSQL writing the imported rows again into a copy of the credentials table (its five indexes), server side | {indexed:N0} | {indexed / signatures:F2} |");
        Console.WriteLine($"| raw VRF evaluations/s (ECVRF-P256-SHA256-TAI, {workers} threads): one per row, the identifier index | {evaluations:N0} | {evaluations / signatures:F2} |");
        Console.WriteLine($"| machine bound before the index: one signature and one indexed row write per row, sharing {workers} cores | {bound:N0} | {bound / signatures:F2} |");
        Console.WriteLine($"| machine bound: one signature, one VRF evaluation and one indexed row write per row, sharing {workers} cores | {indexedBound:N0} | {indexedBound / signatures:F2} |");
        Console.WriteLine($"| import through the endpoint (validate, X.509, VRF index, commitment, log append with COPY, lookup index) | {rate:N0} | {rate / signatures:F2} of the signing bound, {rate / indexedBound:F2} of the machine bound |");
        Console.WriteLine();
        Console.WriteLine($"Target: 50,000 rows/s; on this machine no import can pass the machine bound above. Import took {seconds:F1} s; every row is an "
            + "issuance logged with its X.509 credential and findable once the import answers; its assertion is signed where first served "
            + $"(a lookup, a private record, a credential read: {assertions:N0}/s on {workers} threads).");
        Console.WriteLine();
    }

    /// <summary>
    /// Rows per second PostgreSQL itself writes into a table shaped and indexed as credentials (random serials, as issued):
    /// the imported rows copied server side, so neither the client nor the network counts.
    /// </summary>
    private static async Task<double> IndexedWriteRateAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE copy_indexed (LIKE credentials INCLUDING ALL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var started = Stopwatch.GetTimestamp();
        await using var insert = new NpgsqlCommand("INSERT INTO copy_indexed SELECT * FROM credentials", connection) { CommandTimeout = 0 };
        var rows = await insert.ExecuteNonQueryAsync();
        return rows / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Mapping assertions signed per second on every core: what serving imported mappings for the first time costs.</summary>
    private static double AssertionRate(ServiceHost host, int workers)
    {
        var signer = host.Services.GetRequiredService<MappingAssertionSigner>();
        var now = DateTimeOffset.UtcNow;
        var n = 0L;
        return Measure.Rate(() => signer.Sign(new MappingAssertionClaims(Sii(Interlocked.Increment(ref n)), "mimi://import.test/u/a", "import.test", ["mobile"],
            now, now.AddDays(7), n, "4" + n.ToString("x31", CultureInfo.InvariantCulture))), workers, TimeSpan.FromSeconds(2));
    }

    /// <summary>VRF evaluations per second on every core: the identifier index each imported row costs.</summary>
    private static double VrfEvaluationRate(ServiceHost host, int workers)
    {
        var key = host.Services.GetRequiredService<Server.Authority.IndexProofs>().Keys.Current;
        var n = 0L;
        return Measure.Rate(() => key.Evaluate(Encoding.UTF8.GetBytes(Sii(Interlocked.Increment(ref n)))), workers, TimeSpan.FromSeconds(2));
    }

    /// <summary>Per-component rates on every core (MIMI_BENCH_VERBOSE): where an imported row's time goes.</summary>
    private static async Task ComponentRatesAsync(ServiceHost host, ECDsa userKey)
    {
        var ca = host.Services.GetRequiredService<CertificateAuthority>();
        var signer = host.Services.GetRequiredService<MappingAssertionSigner>();
        var spki = userKey.ExportSubjectPublicKeyInfo();
        var now = DateTimeOffset.UtcNow;
        var duration = TimeSpan.FromSeconds(3);
        var workers = Environment.ProcessorCount;
        var n = 0L;
        await Console.Error.WriteLineAsync($"raw ECDSA P-256 signature: {Measure.Rate(() => userKey.SignData(spki, HashAlgorithmName.SHA256), workers, duration):N0}/s");
        await Console.Error.WriteLineAsync($"X.509 credential (ca.Issue): {Measure.Rate(() => ca.Issue(new CredentialRequest(spki, "mimi://import.test/u/a",
            Sii(Interlocked.Increment(ref n)), now.AddMinutes(-1), now.AddDays(7))), workers, duration):N0}/s");
        await Console.Error.WriteLineAsync($"mapping assertion (signer.Sign): {Measure.Rate(() => signer.Sign(new MappingAssertionClaims(Sii(Interlocked.Increment(ref n)),
            "mimi://import.test/u/a", "import.test", ["mobile"], now, now.AddDays(7), n, "4" + n.ToString("x31", CultureInfo.InvariantCulture))), workers, duration):N0}/s");
    }

    private static byte[] Rows(int from, int to, byte[] spki)
    {
        var key = Convert.ToBase64String(spki);
        var text = new StringBuilder((to - from) * 200);
        for (var i = from; i < to; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""{"sii":"{{Sii(i)}}","ssi":"mimi://import.test/u/u{{i}}","publicKey":"{{key}}","tags":["mobile"]}""").Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Sii(long n) => $"tel:+1555{n % 10_000_000:D7}";

    private static async Task<string> FreshDatabaseAsync(string postgres, string name)
    {
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString;
    }

    /// <summary>Rows as wide as a credential row (certificate and assertion included), binary COPY into a scratch table, one transaction.</summary>
    private static async Task<double> RawCopyRateAsync(string database, int rows)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
                         "CREATE TABLE copy_baseline (serial text PRIMARY KEY, provider text, sii text, ssi text, tags text, certificate bytea, assertion text, log_index bigint)",
                         connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var certificate = RandomNumberGenerator.GetBytes(700);
        var assertion = new string('a', 560);
        var started = Stopwatch.GetTimestamp();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using (var copy = await connection.BeginBinaryImportAsync(
                             "COPY copy_baseline (serial, provider, sii, ssi, tags, certificate, assertion, log_index) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < rows; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync("4" + i.ToString("x31", CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                    await copy.WriteAsync("import.test", NpgsqlDbType.Text);
                    await copy.WriteAsync(Sii(i), NpgsqlDbType.Text);
                    await copy.WriteAsync($"mimi://import.test/u/u{i}", NpgsqlDbType.Text);
                    await copy.WriteAsync("[\"mobile\"]", NpgsqlDbType.Text);
                    await copy.WriteAsync(certificate, NpgsqlDbType.Bytea);
                    await copy.WriteAsync(assertion, NpgsqlDbType.Text);
                    await copy.WriteAsync((long)i, NpgsqlDbType.Bigint);
                }

                await copy.CompleteAsync();
            }

            await tx.CommitAsync();
        }

        return rows / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
