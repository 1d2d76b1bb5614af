using System.Data.Common;
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
        (5, "hosted-users-and-peers", """
            CREATE TABLE hosted_users (
                user_uri TEXT PRIMARY KEY,
                consent_mode {int64} NOT NULL,
                created_at {int64} NOT NULL,
                deleted_at {int64});
            CREATE TABLE hosted_clients (
                client_uri TEXT PRIMARY KEY,
                user_uri TEXT NOT NULL,
                kid TEXT NOT NULL,
                jwk TEXT NOT NULL,
                created_at {int64} NOT NULL,
                removed_at {int64});
            CREATE INDEX ix_hosted_clients_user ON hosted_clients (user_uri);
            CREATE TABLE outbox (
                seq {serial},
                message_id TEXT NOT NULL UNIQUE,
                destination TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                target TEXT NOT NULL,
                body {bytes} NOT NULL,
                state {int64} NOT NULL,
                attempts {int64} NOT NULL,
                next_attempt_at {int64} NOT NULL,
                created_at {int64} NOT NULL,
                last_error TEXT);
            CREATE INDEX ix_outbox_destination ON outbox (destination, state, seq);
            CREATE INDEX ix_outbox_due ON outbox (state, next_attempt_at);
            CREATE TABLE inbound_messages (
                source TEXT NOT NULL,
                message_id TEXT NOT NULL,
                received_at {int64} NOT NULL,
                PRIMARY KEY (source, message_id));
            CREATE INDEX ix_inbound_messages_age ON inbound_messages (received_at);
            """),
        (6, "consent", """
            CREATE TABLE consent_incoming (
                requester TEXT NOT NULL,
                target TEXT NOT NULL,
                room TEXT NOT NULL,
                requester_domain TEXT NOT NULL,
                state {int64} NOT NULL,
                requested_at {int64} NOT NULL,
                updated_at {int64} NOT NULL,
                PRIMARY KEY (requester, target, room));
            CREATE INDEX ix_consent_incoming_target ON consent_incoming (target, state, requester_domain);
            CREATE TABLE consent_outgoing (
                requester TEXT NOT NULL,
                target TEXT NOT NULL,
                room TEXT NOT NULL,
                state {int64} NOT NULL,
                requested_at {int64} NOT NULL,
                updated_at {int64} NOT NULL,
                PRIMARY KEY (requester, target, room));
            CREATE TABLE consent_blocks (
                target TEXT NOT NULL,
                blocked TEXT NOT NULL,
                created_at {int64} NOT NULL,
                PRIMARY KEY (target, blocked));
            CREATE TABLE abuse_reports (
                id {serial},
                source TEXT NOT NULL,
                room TEXT NOT NULL,
                reporting_user TEXT NOT NULL,
                alleged_abuser TEXT NOT NULL,
                reason {int64} NOT NULL,
                note TEXT NOT NULL,
                message_count {int64} NOT NULL,
                body {bytes} NOT NULL,
                received_at {int64} NOT NULL);
            CREATE INDEX ix_abuse_reports_received ON abuse_reports (received_at);
            """),
        (7, "delivery", """
            ALTER TABLE hosted_users ADD COLUMN discoverable {int64} NOT NULL DEFAULT 0;
            CREATE TABLE key_packages (
                kp_ref TEXT PRIMARY KEY,
                client_uri TEXT NOT NULL,
                cipher_suite {int64} NOT NULL,
                data {bytes} NOT NULL,
                last_resort {int64} NOT NULL,
                not_after {int64} NOT NULL,
                created_at {int64} NOT NULL);
            CREATE INDEX ix_key_packages_client ON key_packages (client_uri, last_resort, created_at);
            CREATE TABLE key_package_claims (
                kp_ref TEXT NOT NULL,
                requester_user TEXT NOT NULL,
                room_id TEXT NOT NULL,
                client_uri TEXT NOT NULL,
                claimed_at {int64} NOT NULL,
                PRIMARY KEY (kp_ref, requester_user, room_id));
            CREATE TABLE rooms (
                room_id TEXT PRIMARY KEY,
                group_id {bytes} NOT NULL,
                epoch {int64} NOT NULL,
                group_info {bytes},
                ratchet_tree {bytes},
                created_at {int64} NOT NULL);
            CREATE TABLE room_members (
                room_id TEXT NOT NULL,
                client_uri TEXT NOT NULL,
                domain TEXT NOT NULL,
                joined_at {int64} NOT NULL,
                PRIMARY KEY (room_id, client_uri));
            CREATE TABLE inbox (
                seq {serial},
                client_uri TEXT NOT NULL,
                kind {int64} NOT NULL,
                room_id TEXT NOT NULL,
                message {bytes} NOT NULL,
                ratchet_tree {bytes},
                created_at {int64} NOT NULL);
            CREATE INDEX ix_inbox_client ON inbox (client_uri, seq);
            CREATE TABLE held_rooms (
                room_id TEXT NOT NULL,
                client_uri TEXT NOT NULL,
                target_user TEXT NOT NULL,
                requester_user TEXT NOT NULL,
                PRIMARY KEY (room_id, client_uri));
            CREATE TABLE quarantine (
                seq {serial},
                client_uri TEXT NOT NULL,
                target_user TEXT NOT NULL,
                requester_user TEXT NOT NULL,
                kind {int64} NOT NULL,
                room_id TEXT NOT NULL,
                message {bytes} NOT NULL,
                ratchet_tree {bytes},
                created_at {int64} NOT NULL);
            CREATE INDEX ix_quarantine_pair ON quarantine (target_user, requester_user, seq);
            CREATE TABLE sent_messages (
                hash TEXT PRIMARY KEY,
                client_uri TEXT NOT NULL,
                created_at {int64} NOT NULL);
            """),
        // Inbox items are numbered per client inside the writing transaction (a row lock on the client's head), so
        // on PostgreSQL a reader polling "after N" can never pass a number whose transaction commits later; the
        // table-wide identity could commit out of order, and a long poll then skipped the late item for good.
        (8, "inbox-per-client-sequence", """
            CREATE TABLE inbox_heads (client_uri TEXT PRIMARY KEY, last_seq {int64} NOT NULL);
            ALTER TABLE inbox ADD COLUMN client_seq {int64} NOT NULL DEFAULT 0;
            UPDATE inbox SET client_seq = seq;
            INSERT INTO inbox_heads (client_uri, last_seq) SELECT client_uri, MAX(seq) FROM inbox GROUP BY client_uri;
            DROP INDEX ix_inbox_client;
            CREATE UNIQUE INDEX ix_inbox_client_seq ON inbox (client_uri, client_seq);
            """),
        // The purge deletes by expiry or age in small batches; each batch finds its rows through one of these indexes.
        // A failed outbox message is kept for a retention counted from when it failed (before this, its last lease).
        (9, "purge", """
            CREATE INDEX ix_key_packages_expiry ON key_packages (not_after);
            CREATE INDEX ix_key_package_claims_age ON key_package_claims (claimed_at);
            CREATE INDEX ix_sent_messages_age ON sent_messages (created_at);
            CREATE INDEX ix_challenges_expiry ON challenges (expires_at);
            ALTER TABLE outbox ADD COLUMN failed_at {int64};
            UPDATE outbox SET failed_at = next_attempt_at WHERE state = 1;
            CREATE INDEX ix_outbox_failed ON outbox (state, failed_at);
            """),
        // A hub hands a room's GroupInfo to a client for an external join and accepts the external commit that follows
        // only from the signature key it handed it to, once, before the grant expires.
        (10, "group-info-grants", """
            CREATE TABLE group_info_grants (
                room_id TEXT NOT NULL,
                signature_key {bytes} NOT NULL,
                client_uri TEXT NOT NULL,
                domain TEXT NOT NULL,
                expires_at {int64} NOT NULL,
                PRIMARY KEY (room_id, client_uri));
            CREATE INDEX ix_group_info_grants_expiry ON group_info_grants (expires_at);
            """),
        // One row that readiness rewrites while storage is failing, to learn when writes work again.
        (11, "storage-probe", """
            CREATE TABLE storage_probe (id {int64} PRIMARY KEY, written_at {int64} NOT NULL);
            INSERT INTO storage_probe (id, written_at) VALUES (1, 0);
            """),
        // A resumable import records, in each batch's log transaction, the last line it has done, so a client that lost
        // the answer (the service died) resumes after it without logging a line twice.
        (12, "import-progress", """
            CREATE TABLE import_progress (
                provider TEXT NOT NULL,
                import_id TEXT NOT NULL,
                through_line {int64} NOT NULL,
                imported {int64} NOT NULL,
                rejected {int64} NOT NULL,
                first_log_index {int64},
                last_log_index {int64},
                created_at {int64} NOT NULL,
                updated_at {int64} NOT NULL,
                PRIMARY KEY (provider, import_id));
            """),
        // Version 13 is a code step (CodeSteps). A suspension starts a new token generation (ProviderRecord.TokenGeneration).
        (14, "provider-token-generation", """
            ALTER TABLE providers ADD COLUMN token_generation {int64} NOT NULL DEFAULT 0;
            """),
        // The purge forgets an import's progress once the import has been idle for a retention (PurgeTarget.ImportProgress).
        (15, "import-progress-purge", """
            CREATE INDEX ix_import_progress_age ON import_progress (updated_at);
            """),
        // The accountable log (docs/accountability.md): a credential keeps the VRF key and identifier index its entries
        // carry, the proof of that index (null for a bulk import until first served) and the opening of its issuance
        // commitment; every format-2 entry's opening is kept by log index, to give out to the identifier's holders only.
        // Rows logged before have nulls: their entries are format 1. A verified challenge records when, so a provider
        // that has just proven control of an identifier may see its entries.
        (16, "identifier-index", """
            ALTER TABLE credentials ADD COLUMN vrf_key TEXT;
            ALTER TABLE credentials ADD COLUMN identifier_index {bytes};
            ALTER TABLE credentials ADD COLUMN vrf_proof {bytes};
            ALTER TABLE credentials ADD COLUMN log_opening {bytes};
            ALTER TABLE challenges ADD COLUMN verified_at {int64};
            CREATE TABLE log_openings (
                log_index {int64} PRIMARY KEY,
                sii TEXT NOT NULL,
                opening {bytes} NOT NULL,
                value {bytes} NOT NULL);
            """),
        // Witnesses (C2SP tlog-witness): the checkpoints sent to them, the cosignatures they returned, and per witness
        // (its verifier key) the largest size it cosigned, the old size of the next request to it.
        (17, "log-witnesses", """
            CREATE TABLE log_checkpoints (
                size {int64} PRIMARY KEY,
                note TEXT NOT NULL,
                created_at {int64} NOT NULL);
            CREATE TABLE log_cosignatures (
                size {int64} NOT NULL,
                witness_key TEXT NOT NULL,
                line TEXT NOT NULL,
                created_at {int64} NOT NULL,
                PRIMARY KEY (size, witness_key));
            CREATE TABLE log_witnesses (
                witness_key TEXT PRIMARY KEY,
                cosigned_size {int64} NOT NULL,
                updated_at {int64} NOT NULL);
            """),
        // The room's public MLS group state (Protocol's MlsPublicGroupState, encoded, pending proposals inside), kept by
        // the hub with its room and by a follower per room it follows; state_seq orders writes of the state, so two
        // changes made from one read cannot both land. A client removed from a room is remembered with the epoch of its
        // removal, to refuse its later requests about the room as such rather than as a stranger's.
        (18, "room-group-state", """
            ALTER TABLE rooms ADD COLUMN state {bytes};
            ALTER TABLE rooms ADD COLUMN state_seq {int64} NOT NULL DEFAULT 0;
            CREATE TABLE followed_rooms (
                room_id TEXT PRIMARY KEY,
                state {bytes} NOT NULL,
                state_seq {int64} NOT NULL,
                updated_at {int64} NOT NULL);
            CREATE TABLE removed_members (
                room_id TEXT NOT NULL,
                client_uri TEXT NOT NULL,
                epoch {int64} NOT NULL,
                removed_at {int64} NOT NULL,
                PRIMARY KEY (room_id, client_uri));
            """),
        // An application message's frank (the draft's Frank struct, encoded) and the hub's accepted timestamp (ms since
        // the Unix epoch) travel with it to each receiver's inbox, through quarantine too, so a receiver can verify the
        // frank and report the message.
        (19, "inbox-frank", """
            ALTER TABLE inbox ADD COLUMN frank {bytes};
            ALTER TABLE inbox ADD COLUMN accepted_timestamp {int64};
            ALTER TABLE quarantine ADD COLUMN frank {bytes};
            ALTER TABLE quarantine ADD COLUMN accepted_timestamp {int64};
            """),
        // The audit trail (AuditStore): every administrative act, appended in the act's own transaction and never changed.
        // Pages are read newest first by id, filtered by actor, target, action or owner (a provider reads its own), or time.
        (20, "audit-events", """
            CREATE TABLE audit_events (
                id {serial},
                time {int64} NOT NULL,
                actor_id TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                request_id TEXT,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                owner TEXT,
                before_json TEXT,
                after_json TEXT);
            CREATE INDEX ix_audit_events_actor ON audit_events (actor_id, id);
            CREATE INDEX ix_audit_events_target ON audit_events (target, id);
            CREATE INDEX ix_audit_events_action ON audit_events (action, id);
            CREATE INDEX ix_audit_events_owner ON audit_events (owner, id);
            CREATE INDEX ix_audit_events_time ON audit_events (time);
            """),
        // The operator console (issue 15): one-time sign-in links and the sessions they open, each kept only as the
        // SHA-256 hash of its random token, so a copy of the database signs nobody in; and the indexes of its issuance
        // feed (the newest credentials and revocations of every provider).
        (21, "console-sessions", """
            CREATE TABLE console_sign_in_links (
                token_hash {bytes} PRIMARY KEY,
                operator_id TEXT NOT NULL,
                created_at {int64} NOT NULL,
                expires_at {int64} NOT NULL,
                used_at {int64});
            CREATE INDEX ix_console_sign_in_links_expiry ON console_sign_in_links (expires_at);
            CREATE TABLE console_sessions (
                id_hash {bytes} PRIMARY KEY,
                operator_id TEXT NOT NULL,
                created_at {int64} NOT NULL,
                expires_at {int64} NOT NULL,
                ended_at {int64});
            CREATE INDEX ix_console_sessions_expiry ON console_sessions (expires_at);
            CREATE INDEX ix_credentials_created ON credentials (created_at);
            CREATE INDEX ix_credentials_revoked ON credentials (revoked_at) WHERE revoked_at IS NOT NULL;
            """),
    ];

    // Data migrations that need code rather than SQL, applied in version order among the SQL steps, in the same
    // transaction under the same lock.
    private static readonly (int Version, string Name, Func<DbTransaction, CancellationToken, Task> Apply)[] CodeSteps =
    [
        (13, "mailto-case-folded", MailtoCaseFolding.ApplyAsync),
    ];

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Math.Max(Steps[^1].Version, CodeSteps[^1].Version);

    /// <summary>Applies every missing migration; returns how many this call applied.</summary>
    public static Task<int> ApplyAsync(MimiDatabase database, ILogger logger, CancellationToken ct) => ApplyAsync(database, int.MaxValue, logger, ct);

    /// <summary>Applies the missing migrations up to <paramref name="throughVersion"/>: an upgrade test builds an earlier schema with it.</summary>
    internal static async Task<int> ApplyAsync(MimiDatabase database, int throughVersion, ILogger logger, CancellationToken ct)
    {
        var dialect = database.Dialect;
        if (dialect.PreMigrationStatement is { } setup)
        {
            await database.ReadAsync(async c =>
            {
                await using var statement = c.Command(setup);
                return await statement.ExecuteScalarAsync(ct);
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
            var steps = Steps.Select(s => (s.Version, s.Name, s.Sql, Apply: (Func<DbTransaction, CancellationToken, Task>?)null))
                .Concat(CodeSteps.Select(s => (s.Version, s.Name, Sql: "", Apply: (Func<DbTransaction, CancellationToken, Task>?)s.Apply)))
                .OrderBy(s => s.Version);
            foreach (var (version, name, sql, apply) in steps)
            {
                if (applied.Contains(version) || version > throughVersion)
                {
                    continue;
                }

                if (apply is not null)
                {
                    await apply(tx, ct);
                }
                else
                {
                    await using var step = tx.Command(dialect.Ddl(sql));
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

    [LoggerMessage(EventId = 7310, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) on {Database}")]
    private static partial void LogApplied(ILogger logger, int version, string name, string database);
}
