using Microsoft.Extensions.Logging;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Schema migrations, applied at start-up. Idempotent and safe with several replicas starting at once: every
/// replica takes the migration lock, then applies only the versions not yet recorded.
/// </summary>
public static partial class Migrations
{
    private static readonly (int Version, string Name, string Sql)[] Steps =
    [
        (1, "authority", """
            CREATE TABLE providers (
                domain TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                contact TEXT NOT NULL,
                trust {int64} NOT NULL,
                status {int64} NOT NULL,
                created_at {int64} NOT NULL,
                updated_at {int64} NOT NULL);
            CREATE TABLE provider_keys (
                domain TEXT NOT NULL,
                kid TEXT NOT NULL,
                jwk TEXT NOT NULL,
                created_at {int64} NOT NULL,
                retired_at {int64},
                PRIMARY KEY (domain, kid));
            CREATE TABLE directory_revision (id {int64} PRIMARY KEY, revision {int64} NOT NULL);
            INSERT INTO directory_revision (id, revision) VALUES (1, 0);
            CREATE TABLE client_assertions (
                client_id TEXT NOT NULL,
                jti TEXT NOT NULL,
                expires_at {int64} NOT NULL,
                PRIMARY KEY (client_id, jti));
            CREATE INDEX ix_client_assertions_expiry ON client_assertions (expires_at);
            CREATE TABLE challenges (
                id TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                sii TEXT NOT NULL,
                ssi TEXT NOT NULL,
                code_hash {bytes} NOT NULL,
                created_at {int64} NOT NULL,
                expires_at {int64} NOT NULL,
                attempts {int64} NOT NULL,
                state {int64} NOT NULL);
            CREATE INDEX ix_challenges_sii ON challenges (sii, created_at);
            CREATE INDEX ix_challenges_provider ON challenges (provider, created_at);
            CREATE TABLE credentials (
                serial TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                sii TEXT NOT NULL,
                ssi TEXT NOT NULL,
                tags TEXT NOT NULL,
                attestation {int64} NOT NULL,
                certificate {bytes} NOT NULL,
                assertion TEXT NOT NULL,
                not_before {int64} NOT NULL,
                not_after {int64} NOT NULL,
                log_index {int64} NOT NULL,
                created_at {int64} NOT NULL,
                revoked_at {int64},
                revocation_reason TEXT,
                revocation_log_index {int64});
            CREATE INDEX ix_credentials_sii ON credentials (sii);
            CREATE INDEX ix_credentials_provider ON credentials (provider, created_at);
            CREATE TABLE log_head (
                id {int64} PRIMARY KEY,
                size {int64} NOT NULL,
                root {bytes},
                updated_at {int64} NOT NULL);
            INSERT INTO log_head (id, size, updated_at) VALUES (1, 0, 0);
            CREATE TABLE log_entries (
                idx {int64} PRIMARY KEY,
                data {bytes} NOT NULL,
                created_at {int64} NOT NULL);
            CREATE TABLE log_tiles (
                level {int64} NOT NULL,
                idx {int64} NOT NULL,
                width {int64} NOT NULL,
                hashes {bytes} NOT NULL,
                PRIMARY KEY (level, idx));
            """),
        (2, "discovery", """
            ALTER TABLE credentials ADD COLUMN discoverability {int64} NOT NULL DEFAULT 0;
            ALTER TABLE credentials ADD COLUMN allowed_providers TEXT NOT NULL DEFAULT '[]';
            CREATE INDEX ix_credentials_sii_active ON credentials (sii, provider, log_index);
            ALTER TABLE credentials ADD COLUMN removed_at {int64};
            ALTER TABLE providers ADD COLUMN key_material_url TEXT;
            CREATE TABLE provider_quotas (
                owner TEXT PRIMARY KEY,
                lookups_per_requester {int64},
                lookups_total {int64},
                claims_per_requester {int64},
                claims_total {int64},
                window_seconds {int64} NOT NULL,
                updated_at {int64} NOT NULL);
            CREATE TABLE private_records (
                key_id TEXT NOT NULL,
                serial TEXT NOT NULL,
                bucket {int64} NOT NULL,
                tag {bytes} NOT NULL,
                ciphertext {bytes} NOT NULL,
                PRIMARY KEY (key_id, serial));
            CREATE INDEX ix_private_records_bucket ON private_records (key_id, bucket);
            """),
        (3, "credentials-in-log-order", """
            CREATE INDEX ix_credentials_log_index ON credentials (log_index);
            """),
        // Lookups read the in-memory index, which follows the change sequence; ix_credentials_sii_active's prefix
        // serves what still reads by SII, so the plain SII index only cost every insert (bulk import) a B-tree.
        (4, "mapping-changes", """
            CREATE TABLE mapping_changes (id {int64} PRIMARY KEY, seq {int64} NOT NULL);
            INSERT INTO mapping_changes (id, seq) VALUES (1, 0);
            ALTER TABLE credentials ADD COLUMN change_seq {int64} NOT NULL DEFAULT 0;
            CREATE INDEX ix_credentials_changes ON credentials (change_seq, serial);
            DROP INDEX ix_credentials_sii;
            """),
    ];

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Steps[^1].Version;

    /// <summary>Applies every missing migration; returns how many this call applied.</summary>
    public static async Task<int> ApplyAsync(MimiDatabase database, ILogger logger, CancellationToken ct)
    {
        var dialect = database.Dialect;
        if (dialect is Sqlite.SqliteDialect)
        {
            // WAL lets readers proceed during a write; the setting is stored in the file, once.
            await database.ReadAsync(async c =>
            {
                await using var pragma = c.Command("PRAGMA journal_mode=WAL;");
                return await pragma.ExecuteScalarAsync(ct);
            }, ct);
        }

        return await database.WriteAsync(async tx =>
        {
            await dialect.LockForMigrationAsync(tx, ct);
            await using (var create = tx.Command(dialect.Ddl(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version {int64} PRIMARY KEY, name TEXT NOT NULL, applied_at {int64} NOT NULL)")))
            {
                await create.ExecuteNonQueryAsync(ct);
            }

            var applied = new HashSet<long>();
            await using (var query = tx.Command("SELECT version FROM schema_migrations"))
            await using (var reader = await query.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            var count = 0;
            foreach (var (version, name, sql) in Steps)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using (var step = tx.Command(dialect.Ddl(sql)))
                {
                    await step.ExecuteNonQueryAsync(ct);
                }

                await using (var record = tx.Command("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)"))
                {
                    await record.With("v", (long)version).With("n", name).With("t", StoredTime.From(DateTimeOffset.UtcNow)).ExecuteNonQueryAsync(ct);
                }

                LogApplied(logger, version, name, dialect.Name);
                count++;
            }

            return count;
        }, ct);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) on {Database}")]
    private static partial void LogApplied(ILogger logger, int version, string name, string database);
}
