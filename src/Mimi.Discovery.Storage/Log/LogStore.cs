using System.Collections.Concurrent;
using System.Data.Common;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Storage;

/// <summary>
/// The issuance log in the database: entries, C2SP tiles (height 8) and the head, sequenced one batch per write
/// transaction under a lock on the head row, so that every replica agrees on one order. Tiles are immutable in
/// their prefix, so reads are served from an in-memory cache that keeps the widest version seen.
/// </summary>
public sealed class LogStore : ITileReader
{
    private static readonly BulkTable Entries = new("log_entries", ("idx", StoredType.Int64), ("data", StoredType.Bytes), ("created_at", StoredType.Int64));
    private static readonly BulkTable Openings = new("log_openings", ("log_index", StoredType.Int64), ("sii", StoredType.Text), ("opening", StoredType.Bytes),
        ("value", StoredType.Bytes));
    private readonly MimiDatabase _database;
    private readonly int _cacheLimit;
    private readonly ConcurrentDictionary<(int Level, long Index), byte[]> _tiles = new();

    /// <summary>Creates the store.</summary>
    public LogStore(MimiDatabase database, int tileCacheLimit = 65_536)
    {
        _database = database;
        _cacheLimit = tileCacheLimit;
    }

    /// <summary>The current head.</summary>
    public Task<LogHead> GetHeadAsync(CancellationToken ct) => _database.ReadAsync(c => ReadHeadAsync(c, null, ct), ct);

    /// <summary>When the entry at <paramref name="index"/> was appended, or null when the log has no such entry.</summary>
    public Task<DateTimeOffset?> GetEntryTimeAsync(long index, CancellationToken ct) => _database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT created_at FROM log_entries WHERE idx = @i").With("i", index);
        return await query.ExecuteScalarAsync(ct) is long ms ? StoredTime.To(ms) : (DateTimeOffset?)null;
    }, ct);

    /// <summary>Appends a batch in one transaction, applying each write's state change with its entry.</summary>
    public Task<IReadOnlyList<LogWriteResult>> AppendAsync(IReadOnlyList<LogWrite> batch, CancellationToken ct) => AppendAsync(batch, null, ct);

    /// <summary>
    /// Appends a batch in one transaction, applying each write's state change with its entry, and records
    /// <paramref name="mark"/> (an import's progress) in the same transaction.
    /// </summary>
    /// <exception cref="ImportReplayedException">The import has committed lines of this batch already; nothing was written.</exception>
    public Task<IReadOnlyList<LogWriteResult>> AppendAsync(IReadOnlyList<LogWrite> batch, ImportMark? mark, CancellationToken ct) =>
        AppendAsync(batch, mark, null, ct);

    /// <summary>
    /// Appends a batch in one transaction, applying each write's state change with its entry, and records
    /// <paramref name="mark"/> (an import's progress) and <paramref name="audit"/> (the audit event of the act the batch
    /// completes, such as an import) in the same transaction, even when the batch holds no write.
    /// </summary>
    /// <exception cref="ImportReplayedException">The import has committed lines of this batch already; nothing was written.</exception>
    public async Task<IReadOnlyList<LogWriteResult>> AppendAsync(IReadOnlyList<LogWrite> batch, ImportMark? mark, AuditedAct? audit, CancellationToken ct)
    {
        var written = new List<(TileCoordinate Tile, byte[] Hashes)>();
        var results = await _database.WriteAsync(async tx =>
        {
            written.Clear();
            var head = await ReadHeadAsync(tx.Connection!, tx, ct);
            // Every credential row this batch writes carries its change sequence, taken before any row lock
            // (the order every writer follows), so lookup indexes on every replica find the batch by polling.
            var change = await CredentialStore.NextChangeAsync(tx, ct);
            var results = new LogWriteResult[batch.Count];
            var accepted = new List<(long Index, LogWrite Write)>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var index = head.Size + accepted.Count;
                var applied = batch[i] switch
                {
                    IssueCredentialWrite => true,
                    // Revocations are rare and conditional: applied one by one, so a refused one takes no index.
                    RevokeCredentialWrite revoke => await RevokeAsync(tx, revoke, index, change, ct),
                    _ => throw new ArgumentException($"Unknown log write {batch[i].GetType().Name}.", nameof(batch)),
                };
                results[i] = applied ? new LogWriteResult(true, index) : new LogWriteResult(false, -1);
                if (applied)
                {
                    accepted.Add((index, batch[i]));
                }
            }

            // Credential rows carry their log index (their assertions are signed over it): build them in parallel,
            // then write rows and entries in bulk (SqlDialect.InsertManyAsync), not one round trip per row.
            var credentials = new CredentialRecord?[accepted.Count];
            Parallel.For(0, accepted.Count, i => credentials[i] = accepted[i].Write is IssueCredentialWrite issue ? issue.Credential(accepted[i].Index) : null);
            var now = StoredTime.From(DateTimeOffset.UtcNow);
            await CredentialStore.InsertManyAsync(tx, _database.Dialect, credentials.OfType<CredentialRecord>().ToList(), change, ct);
            await _database.Dialect.InsertManyAsync(tx, Entries, accepted.Select(a => new object?[] { a.Index, a.Write.Entry, now }).ToList(), ct);
            await _database.Dialect.InsertManyAsync(tx, Openings, accepted.Where(a => a.Write.Opening is not null)
                .Select(a => new object?[] { a.Index, a.Write.Opening!.Sii, a.Write.Opening.Opening, a.Write.Opening.Value }).ToList(), ct);

            if (mark is not null)
            {
                await ImportProgressStore.RecordAsync(tx, mark, accepted.Count, accepted.Count > 0 ? accepted[0].Index : null,
                    accepted.Count > 0 ? accepted[^1].Index : null, now, ct);
            }

            if (audit is not null)
            {
                await AuditStore.AppendAsync(tx, audit.Actor, audit.Event, StoredTime.To(now), ct);
            }

            var leaves = accepted.Select(a => MerkleHash.LeafHash(a.Write.Entry)).ToList();

            if (leaves.Count == 0)
            {
                return results;
            }

            var append = await TileAppender.AppendAsync(head.Size, leaves, new TransactionTiles(tx, ct), ct);
            foreach (var tile in append.Tiles)
            {
                await using var upsert = tx.Command("""
                    INSERT INTO log_tiles (level, idx, width, hashes) VALUES (@l, @i, @w, @h)
                    ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, hashes = excluded.hashes
                    """);
                await upsert.With("l", (long)tile.Coordinate.Level).With("i", tile.Coordinate.Index).With("w", (long)tile.Coordinate.Width)
                    .With("h", tile.Hashes).ExecuteNonQueryAsync(ct);
                written.Add((tile.Coordinate, tile.Hashes));
            }

            await using (var update = tx.Command("UPDATE log_head SET size = @s, root = @r, updated_at = @t WHERE id = 1"))
            {
                await update.With("s", head.Size + leaves.Count).With("r", append.Root).With("t", now).ExecuteNonQueryAsync(ct);
            }

            return results;
        }, ct);

        foreach (var (tile, hashes) in written)
        {
            Remember(tile, hashes);
        }

        return results;
    }

    // Revocations are administrative acts: the audit trail records one in the transaction that applies it.
    private static async Task<bool> RevokeAsync(DbTransaction tx, RevokeCredentialWrite revoke, long index, long change, CancellationToken ct)
    {
        if (await CredentialStore.RevokeAsync(tx, revoke.Serial, revoke.At, revoke.Reason, index, change, ct) is not { } owner)
        {
            return false;
        }

        if (revoke.Actor is { } actor)
        {
            await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.CredentialRevoke, AuditTargets.Credential(revoke.Serial), owner,
                AuditChange.Of(("status", "active")), AuditChange.Of(("status", "revoked"), ("reason", revoke.Reason), ("logIndex", index))), revoke.At, ct);
        }

        return true;
    }

    /// <summary>Entries from <paramref name="start"/>, at most <paramref name="count"/>, in index order.</summary>
    public Task<IReadOnlyList<(long Index, byte[] Data)>> ReadEntriesAsync(long start, int count, CancellationToken ct) =>
        _database.ReadAsync<IReadOnlyList<(long, byte[])>>(async c =>
        {
            await using var query = c.Command("SELECT idx, data FROM log_entries WHERE idx >= @s AND idx < @e ORDER BY idx");
            await using var reader = await query.With("s", start).With("e", start + count).ExecuteReaderAsync(ct);
            var list = new List<(long, byte[])>();
            while (await reader.ReadAsync(ct))
            {
                list.Add((reader.GetInt64(0), reader.GetBytes(1)));
            }

            return list;
        }, ct);

    /// <summary>The stored openings of the entries at <paramref name="indexes"/> (format-1 entries have none). One query.</summary>
    public Task<IReadOnlyList<LogOpening>> ReadOpeningsAsync(IReadOnlyCollection<long> indexes, CancellationToken ct) =>
        indexes.Count == 0 ? Task.FromResult<IReadOnlyList<LogOpening>>([]) : _database.ReadAsync<IReadOnlyList<LogOpening>>(async c =>
        {
            await using var query = c.Command("");
            query.CommandText = $"SELECT log_index, sii, opening, value FROM log_openings WHERE log_index IN ({CredentialStore.Parameters(query, "i", indexes.Cast<object>())})";
            await using var reader = await query.ExecuteReaderAsync(ct);
            var list = new List<LogOpening>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new LogOpening(reader.GetInt64(0), reader.GetString(1), reader.GetBytes(2), reader.GetBytes(3)));
            }

            return list;
        }, ct);

    /// <summary>
    /// The stored versions of tiles <paramref name="first"/> to <paramref name="last"/> of one level, by index, read
    /// past the cache: an audit of storage must see what a restarted replica would serve, not what this one remembers.
    /// </summary>
    public Task<IReadOnlyDictionary<long, byte[]>> ReadStoredTilesAsync(int level, long first, long last, CancellationToken ct) =>
        _database.ReadAsync<IReadOnlyDictionary<long, byte[]>>(async c =>
        {
            await using var query = c.Command("SELECT idx, hashes FROM log_tiles WHERE level = @l AND idx >= @f AND idx <= @t");
            await using var reader = await query.With("l", (long)level).With("f", first).With("t", last).ExecuteReaderAsync(ct);
            var tiles = new Dictionary<long, byte[]>();
            while (await reader.ReadAsync(ct))
            {
                tiles[reader.GetInt64(0)] = reader.GetBytes(1);
            }

            return tiles;
        }, ct);

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileCoordinate tile, CancellationToken ct)
    {
        if (_tiles.TryGetValue((tile.Level, tile.Index), out var cached) && cached.Length >= tile.Width * MerkleHash.Size)
        {
            return cached;
        }

        var stored = await _database.ReadAsync(c => ReadTileAsync(c, null, tile, ct), ct);
        if (stored is null || stored.Length < tile.Width * MerkleHash.Size)
        {
            throw new InvalidOperationException($"Tile {tile.Path} is not in the log (the tree is smaller than requested).");
        }

        Remember(tile, stored);
        return stored;
    }

    private void Remember(TileCoordinate tile, byte[] hashes)
    {
        if (_tiles.Count >= _cacheLimit)
        {
            // Bounded memory: drop everything and refill from the database; full tiles come back on first use.
            _tiles.Clear();
        }

        _tiles.AddOrUpdate((tile.Level, tile.Index), hashes, (_, old) => old.Length >= hashes.Length ? old : hashes);
    }

    private async Task<LogHead> ReadHeadAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var query = connection.Command($"SELECT size, root FROM log_head WHERE id = 1{(tx is null ? "" : _database.Dialect.ForUpdate)}", tx);
        await using var reader = await query.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var size = reader.GetInt64(0);
        return new LogHead(size, reader.GetNullableBytes(1) ?? MerkleHash.EmptyRoot.ToArray());
    }

    private static async Task<byte[]?> ReadTileAsync(DbConnection connection, DbTransaction? tx, TileCoordinate tile, CancellationToken ct)
    {
        await using var query = connection.Command("SELECT hashes FROM log_tiles WHERE level = @l AND idx = @i", tx);
        return await query.With("l", (long)tile.Level).With("i", tile.Index).ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>Reads right-edge tiles inside the append transaction, never from the cache (another replica may have moved the edge).</summary>
    private sealed class TransactionTiles(DbTransaction tx, CancellationToken ct) : ITileReader
    {
        public async ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileCoordinate tile, CancellationToken cancellationToken) =>
            await LogStore.ReadTileAsync(tx.Connection!, tx, tile, ct) ?? throw new InvalidOperationException($"Tile {tile.Path} is missing.");
    }
}
