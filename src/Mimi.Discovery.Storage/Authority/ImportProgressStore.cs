using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Progress of resumable imports, one row per provider and import id, written only inside the log transaction of the
/// batch it describes (<see cref="LogStore.AppendAsync(IReadOnlyList{LogWrite}, ImportMark?, CancellationToken)"/>): a
/// client that lost the answer to its last batch learns here whether that batch committed.
/// </summary>
public sealed class ImportProgressStore(MimiDatabase database)
{
    /// <summary>The import's progress, or null when nothing of it has committed.</summary>
    public Task<ImportProgress?> GetAsync(string provider, string importId, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            await using var query = c.Command("""
                SELECT through_line, imported, rejected, first_log_index, last_log_index, updated_at
                FROM import_progress WHERE provider = @p AND import_id = @i
                """);
            await using var reader = await query.With("p", provider).With("i", importId).ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new ImportProgress(importId, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetNullableInt64(3),
                    reader.GetNullableInt64(4), StoredTime.To(reader.GetInt64(5)))
                : null;
        }, ct);

    /// <summary>
    /// Records a batch's lines as done, in its log transaction; refuses (rolling the batch back) when the import has
    /// already committed any of them. The log head row is locked by then, so two batches never race past this check.
    /// </summary>
    internal static async Task RecordAsync(DbTransaction tx, ImportMark mark, long imported, long? firstIndex, long? lastIndex, long now, CancellationToken ct)
    {
        await using (var query = tx.Command("SELECT through_line FROM import_progress WHERE provider = @p AND import_id = @i"))
        {
            if (await query.With("p", mark.Provider).With("i", mark.ImportId).ExecuteScalarAsync(ct) is long through && through >= mark.FirstLine)
            {
                throw new ImportReplayedException(mark.ImportId, mark.FirstLine, through);
            }
        }

        await using var upsert = tx.Command("""
            INSERT INTO import_progress (provider, import_id, through_line, imported, rejected, first_log_index, last_log_index, created_at, updated_at)
            VALUES (@p, @i, @l, @n, @r, @f, @e, @t, @t)
            ON CONFLICT (provider, import_id) DO UPDATE SET
                through_line = excluded.through_line,
                imported = import_progress.imported + excluded.imported,
                rejected = import_progress.rejected + excluded.rejected,
                first_log_index = COALESCE(import_progress.first_log_index, excluded.first_log_index),
                last_log_index = COALESCE(excluded.last_log_index, import_progress.last_log_index),
                updated_at = excluded.updated_at
            """);
        await upsert.With("p", mark.Provider).With("i", mark.ImportId).With("l", mark.ThroughLine).With("n", imported).With("r", mark.Rejected)
            .With("f", firstIndex).With("e", lastIndex).With("t", now).ExecuteNonQueryAsync(ct);
    }
}
