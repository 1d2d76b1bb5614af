using System.Data.Common;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Migration 13: email addresses became case-folded as a whole (the local part too), so rows written before keep a
/// form that no longer parses to itself, and a lookup of the folded form would miss them. Each such row takes the form
/// <see cref="Sii.Parse"/> gives today: done in code, since the fold works on the percent-decoded local part, which SQL's
/// lower() would get wrong (it would also lower the hex of percent-encoded octets).
/// </summary>
/// <remarks>
/// A refolded credential loses its stored assertion (whose <c>sub</c> names the old form) and is signed again where it
/// is first served, from its columns, as bulk-imported rows are; its private-lookup records (keyed by the OPRF of the
/// old form) are dropped, and the record builder's start-up pass adds them again. The certificate cannot change: its
/// SAN keeps the address as first written, which parses to the same identifier. Pending challenges are refolded too,
/// so a code sent before the upgrade still verifies.
/// </remarks>
internal static class MailtoCaseFolding
{
    public static async Task ApplyAsync(DbTransaction tx, CancellationToken ct)
    {
        var credentials = await ChangedAsync(tx, "SELECT serial, sii FROM credentials WHERE sii LIKE 'mailto:%'", ct);
        if (credentials.Count > 0)
        {
            // One change for the whole migration: every replica's lookup index re-reads these rows.
            var change = await CredentialStore.NextChangeAsync(tx, ct);
            foreach (var (serial, sii) in credentials)
            {
                await using (var update = tx.Command("UPDATE credentials SET sii = @sii, assertion = @a, change_seq = @c WHERE serial = @s"))
                {
                    await update.With("sii", sii).With("a", CredentialRecord.AssertionSignedOnFirstUse).With("c", change).With("s", serial).ExecuteNonQueryAsync(ct);
                }

                await using var drop = tx.Command("DELETE FROM private_records WHERE serial = @s");
                await drop.With("s", serial).ExecuteNonQueryAsync(ct);
            }
        }

        foreach (var (id, sii) in await ChangedAsync(tx, "SELECT id, sii FROM challenges WHERE sii LIKE 'mailto:%'", ct))
        {
            await using var update = tx.Command("UPDATE challenges SET sii = @sii WHERE id = @id");
            await update.With("sii", sii).With("id", id).ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The rows (key, SII) whose stored SII is not the form it parses to today, with that form.</summary>
    private static async Task<List<(string Key, string Sii)>> ChangedAsync(DbTransaction tx, string sql, CancellationToken ct)
    {
        var changed = new List<(string, string)>();
        await using var query = tx.Command(sql);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var stored = reader.GetString(1);
            if (Sii.TryParse(stored, out var sii, out _) && sii.Value != stored)
            {
                changed.Add((reader.GetString(0), sii.Value));
            }
        }

        return changed;
    }
}
