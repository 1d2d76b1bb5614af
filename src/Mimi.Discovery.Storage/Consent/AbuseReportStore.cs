namespace Mimi.Discovery.Storage;

/// <summary>
/// Abuse reports about rooms hosted here, kept for this instance's operator: from local users, and from peers once per
/// message id (recorded in the same transaction).
/// </summary>
public sealed class AbuseReportStore(MimiDatabase database)
{
    /// <summary>Stores an abuse report once per message id; false for a duplicate.</summary>
    public Task<bool> RecordAsync(AbuseReportRecord report, byte[] body, string? messageId, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            if (messageId is not null && !await InboundMessageStore.TryRecordAsync(tx, report.Source, messageId, report.ReceivedAt, ct))
            {
                return false;
            }

            await using var insert = tx.Command("""
                INSERT INTO abuse_reports (source, room, reporting_user, alleged_abuser, reason, note, message_count, body, received_at)
                VALUES (@s, @r, @u, @a, @c, @t, @m, @b, @n)
                """);
            await insert.With("s", report.Source).With("r", report.Room).With("u", report.ReportingUser).With("a", report.AllegedAbuser)
                .With("c", (long)report.Reason).With("t", report.Note).With("m", (long)report.MessageCount).With("b", body)
                .With("n", StoredTime.From(report.ReceivedAt)).ExecuteNonQueryAsync(ct);
            return true;
        }, ct);

    /// <summary>The most recent abuse reports, newest first.</summary>
    public Task<IReadOnlyList<AbuseReportRecord>> ListAsync(int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<AbuseReportRecord>>(async c =>
        {
            await using var query = c.Command("""
                SELECT id, source, room, reporting_user, alleged_abuser, reason, note, message_count, received_at FROM abuse_reports
                ORDER BY id DESC LIMIT @l
                """);
            await using var reader = await query.With("l", (long)limit).ExecuteReaderAsync(ct);
            var list = new List<AbuseReportRecord>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new AbuseReportRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    (int)reader.GetInt64(5), reader.GetString(6), (int)reader.GetInt64(7), StoredTime.To(reader.GetInt64(8))));
            }

            return list;
        }, ct);
}
