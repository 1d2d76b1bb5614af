using System.Security.Cryptography;
using Mimi.Discovery.Model;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Sqlite;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// Inclusion and consistency proof times at 10k, 100k and 1M entries: in memory (the library over cached tiles)
/// and through the service's log store on SQLite (tiles from the database, then cached). Logarithmic growth shows
/// as a small ratio between 1M and 10k.
/// </summary>
internal static class ProofBenchmark
{
    private const int Iterations = 20_000;

    public static async Task RunAsync(TimeSpan duration)
    {
        var sha = Measure.Rate(() => SHA256.HashData(stackalloc byte[65], stackalloc byte[32]), 1, duration / 2);
        Console.WriteLine($"## Log proofs ({Iterations:N0} random proofs per figure; one SHA-256 of 65 bytes = {1e6 / sha:F3} µs)");
        Console.WriteLine();
        Console.WriteLine("| tree | size | inclusion p50 / p99 µs | consistency p50 / p99 µs |");
        Console.WriteLine("|---|---:|---:|---:|");

        var memory = new MemoryTileStore();
        long size = 0;
        foreach (var target in new long[] { 10_000, 100_000, 1_000_000 })
        {
            while (size < target)
            {
                var batch = Enumerable.Range(0, (int)Math.Min(10_000, target - size)).Select(i => MerkleHash.LeafHash(BitConverter.GetBytes(size + i))).ToList();
                memory.Write(await TileAppender.AppendAsync(size, batch, memory));
                size += batch.Count;
            }

            await ReportAsync("memory", memory, size);
        }

        var directory = Directory.CreateTempSubdirectory("mimi-proofs-").FullName;
        try
        {
            var database = new MimiDatabase(new SqliteDialect(Path.Combine(directory, "log.db")));
            await Migrations.ApplyAsync(database, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, default);
            var log = new LogStore(database);
            size = 0;
            var now = DateTimeOffset.UtcNow;
            foreach (var target in new long[] { 10_000, 100_000, 1_000_000 })
            {
                while (size < target)
                {
                    var batch = Enumerable.Range(0, (int)Math.Min(10_000, target - size)).Select(i =>
                    {
                        var n = size + i;
                        return (LogWrite)new IssueCredentialWrite(BitConverter.GetBytes(n), index => new CredentialRecord(
                            n.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), "bench.test", "tel:+15550000000", "mimi://bench.test/u/u",
                            [], Attestation.Provider, [0], "", now, now, index, now));
                    }).ToList();
                    await log.AppendAsync(batch, default);
                    size += batch.Count;
                }

                await ReportAsync("service log store (SQLite, tile cache warm)", log, size);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("Target: each proof under 1 ms at 1,000,000 entries, growing logarithmically.");
        Console.WriteLine();
    }

    private static async Task ReportAsync(string name, ITileReader tiles, long size)
    {
        var random = new Random(42);
        var inclusion = await Measure.LatencyAsync(async _ => await MerkleTree.InclusionProofAsync(tiles, random.NextInt64(size), size), Iterations);
        var consistency = await Measure.LatencyAsync(async _ => await MerkleTree.ConsistencyProofAsync(tiles, 1 + random.NextInt64(size - 1), size), Iterations);
        Console.WriteLine($"| {name} | {size:N0} | {inclusion.P50:F1} / {inclusion.P99:F1} | {consistency.P50:F1} / {consistency.P99:F1} |");
    }
}
