using System.Buffers;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Postgres;
using Mimi.Discovery.Storage.Sqlite;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>
/// An existing deployment upgrades in place (docs/accountability.md §6): a database at schema 15 holding format-1
/// entries, written as the service before the indexed log wrote them, is migrated by the new service; the old entries
/// stay byte for byte and keep proving included, new ones are format 2, and it is all one tree.
/// </summary>
public abstract class LogUpgradeContract : IDisposable
{
    private const int OldEntries = 5;
    private static readonly DateTimeOffset Then = DateTimeOffset.UtcNow.AddDays(-1);
    private readonly ClientCredentials _user = ClientCredentials.GenerateEs256("u");

    protected string Data { get; } = Directory.CreateTempSubdirectory("mimi-upgrade-").FullName;

    /// <summary>The database as the service will be configured with it: a PostgreSQL connection string, or null for SQLite in <see cref="Data"/>.</summary>
    protected abstract Task<string?> PostgresAsync();

    public void Dispose()
    {
        _user.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Format_1_entries_survive_the_upgrade_unchanged_and_new_entries_extend_the_same_tree_in_format_2()
    {
        var postgres = await PostgresAsync();
        var database = new MimiDatabase(postgres is null ? new SqliteDialect(Path.Combine(Data, "mimi-discovery.db")) : new PostgresDialect(postgres));
        Assert.Equal(15, await Migrations.ApplyAsync(database, 15, NullLogger.Instance, default));
        var (old, oldRoot) = await WriteFormatOneAsync(database);

        using var service = new ServiceFactory(postgres: postgres, dataDirectory: Data);
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var served = await service.Anonymous().GetLogEntriesAsync(0, OldEntries);
        var fresh = await beta.IssueCredentialAsync("tel:+15550400000", "mimi://beta.test/u/u0", _user.SubjectPublicKeyInfo, attested: true);
        var revoked = await beta.RevokeCredentialAsync("0a000000000000000000000000000000");
        var checkpoint = await CheckpointAsync(service);
        var http = await IndexedLog.BearerAsync(service, beta);

        // The old entries, byte for byte, each included under the new checkpoint.
        Assert.Equal(old.Select(Convert.ToBase64String), served.Entries.Select(e => e.Data));
        for (var i = 0; i < OldEntries; i++)
        {
            var proof = await service.Anonymous().GetInclusionProofAsync(i, checkpoint.Size);
            Assert.True(MerkleProof.VerifyInclusion(MerkleHash.LeafHash(old[i]), i, checkpoint.Size, proof.Hashes.Select(Convert.FromBase64String).ToList(),
                checkpoint.RootHash));
            Assert.True(LogEntryContent.TryParse(old[i], out var parsed) && parsed!.Format == 1);
        }

        // One tree: the new checkpoint extends the old head, and new entries are format 2 after the old ones.
        var consistency = await service.Anonymous().GetConsistencyProofAsync(OldEntries, checkpoint.Size);
        Assert.True(MerkleProof.VerifyConsistency(OldEntries, checkpoint.Size, oldRoot, checkpoint.RootHash, consistency.Hashes.Select(Convert.FromBase64String).ToList()));
        Assert.Equal(OldEntries + 2, checkpoint.Size);
        Assert.Equal(OldEntries, fresh.LogIndex);
        var issuance = (await IndexedLog.EntryAsync(service, fresh.LogIndex)).Entry;
        var revocation = (await IndexedLog.EntryAsync(service, revoked.RevocationLogIndex!.Value)).Entry;
        Assert.Equal((2, 2), (issuance.Format, revocation.Format));

        // An old credential: no transparency of its own; its revocation is indexed like any new entry (under the same index as a
        // new credential for its identifier) and opens to its provider.
        var oldView = await IndexedLog.CredentialViewAsync(http, revoked.Serial);
        Assert.Equal(JsonValueKind.Null, oldView.GetProperty("transparency").ValueKind);
        var (current, _) = await IndexedLog.VrfKeysAsync(service);
        var index = await (await http.PostAsJsonAsync("/v1/log/indexes", new { identifiers = new[] { "tel:+15550400000" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(revocation.IdentifierIndex, IndexedLog.Base64(index.GetProperty("indexes")[0], "identifierIndex"));
        Assert.Equal(issuance.IdentifierIndex, revocation.IdentifierIndex);
        Assert.Equal(current, revocation.VrfKeyId);
        var openings = await (await http.PostAsJsonAsync("/v1/log/openings", new { logIndexes = new[] { 1, revoked.RevocationLogIndex!.Value } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(OpeningRefusal.FormatOne, openings.GetProperty("refused")[0].GetProperty("reason").GetString());
        Assert.True(CommittedValue.TryParse(IndexedLog.Base64(openings.GetProperty("openings")[0], "value"), out var value));
        Assert.Equal((LogEntryType.Revocation, revoked.Serial, "tel:+15550400000"), (value!.Type, value.Serial, value.Sii));
    }

    /// <summary>
    /// Writes format-1 entries and their credentials the way the service before migration 16 did in one append: the
    /// credential rows (columns of schema 15), the entries, the tiles and the head. Returns the entries and the root.
    /// </summary>
    private async Task<(List<byte[]> Entries, byte[] Root)> WriteFormatOneAsync(MimiDatabase database)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var entries = new List<byte[]>();
        var created = StoredTimeOf(Then);
        var notAfter = Then.AddDays(7);
        var root = await database.WriteAsync(async tx =>
        {
            for (var i = 0; i < OldEntries; i++)
            {
                var serial = "0a00000000000000000000000000000" + i.ToString(CultureInfo.InvariantCulture);
                var sii = "tel:+1555040000" + i.ToString(CultureInfo.InvariantCulture);
                var certificate = new CertificateRequest("CN=old", key, HashAlgorithmName.SHA256).CreateSelfSigned(Then, notAfter).RawData;
                entries.Add(FormatOneIssuance(Then, "beta.test", serial, SHA256.HashData(certificate), notAfter));
                await using var credential = tx.Command("""
                    INSERT INTO credentials (serial, provider, sii, ssi, tags, attestation, certificate, assertion, not_before, not_after, log_index,
                                             created_at, discoverability, allowed_providers, change_seq)
                    VALUES (@s, 'beta.test', @sii, @ssi, '[]', 0, @c, '', @t, @n, @i, @t, 0, '[]', 1)
                    """);
                await credential.With("s", serial).With("sii", sii).With("ssi", "mimi://beta.test/u/u" + i.ToString(CultureInfo.InvariantCulture))
                    .With("c", certificate).With("t", created).With("n", StoredTimeOf(notAfter)).With("i", (long)i).ExecuteNonQueryAsync();
                await using var entry = tx.Command("INSERT INTO log_entries (idx, data, created_at) VALUES (@i, @d, @t)");
                await entry.With("i", (long)i).With("d", entries[^1]).With("t", created).ExecuteNonQueryAsync();
            }

            var append = await TileAppender.AppendAsync(0, entries.Select(e => MerkleHash.LeafHash(e)).ToList(), new MemoryTileStore(), default);
            foreach (var tile in append.Tiles)
            {
                await using var write = tx.Command("INSERT INTO log_tiles (level, idx, width, hashes) VALUES (@l, @i, @w, @h)");
                await write.With("l", (long)tile.Coordinate.Level).With("i", tile.Coordinate.Index).With("w", (long)tile.Coordinate.Width).With("h", tile.Hashes)
                    .ExecuteNonQueryAsync();
            }

            await using var head = tx.Command("UPDATE log_head SET size = @s, root = @r, updated_at = @t WHERE id = 1");
            await head.With("s", (long)OldEntries).With("r", append.Root).With("t", created).ExecuteNonQueryAsync();
            return append.Root;
        }, default);
        return (entries, root);
    }

    /// <summary>An issuance entry as the service wrote it before the index (format 1): the fields in the clear, times in round-trip form.</summary>
    private static byte[] FormatOneIssuance(DateTimeOffset time, string provider, string serial, byte[] certificateSha256, DateTimeOffset notAfter)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "issuance");
            w.WriteString("time", time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("provider", provider);
            w.WriteString("serial", serial);
            w.WriteString("certificateSha256", Convert.ToHexStringLower(certificateSha256));
            w.WriteString("attestation", "provider");
            w.WriteString("notAfter", notAfter.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static long StoredTimeOf(DateTimeOffset time) => StoredTime.From(time);

    private static async Task<Checkpoint> CheckpointAsync(ServiceFactory service)
    {
        var note = await service.Anonymous().GetCheckpointAsync();
        Assert.True(Checkpoint.TryParse(note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)], out var checkpoint), note);
        return checkpoint;
    }
}

public sealed class SqliteLogUpgradeTests : LogUpgradeContract
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLogUpgradeTests(PostgresServer server) : LogUpgradeContract
{
    protected override async Task<string?> PostgresAsync() => await server.CreateDatabaseAsync();
}
