using System.IO.Pipelines;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// Bulk issuance for a trusted provider. Lines are validated as they arrive; good rows are collected into batches,
/// their certificates signed in parallel in the background, and each batch is appended to the log in one transaction
/// while the next is signed and the one after it read. A bad line is reported by number and never holds back the rows
/// around it. An imported row costs one signature, its X.509 credential (which the log commits to), and one VRF
/// evaluation, its identifier index (which the entry carries); its mapping assertion and the proof of its index are
/// computed from the stored row where it is first served (<see cref="StoredAssertions"/>, <see cref="IndexProofs"/>).
/// </summary>
internal sealed partial class ImportService(
    CertificateAuthority ca,
    IndexProofs proofs,
    LogStore log,
    AuditStore audit,
    Lookup.MappingIndex index,
    IOptions<AuthorityOptions> authority,
    IOptions<ImportOptions> options,
    TimeProvider time,
    ILogger<ImportService> logger,
    AuthorityMetrics metrics,
    Log.Witnessing.LogCosigner? cosigner = null)
{
    /// <summary>
    /// Imports the lines of <paramref name="body"/>, numbered from <paramref name="firstLine"/>. With an
    /// <paramref name="importId"/> every batch records in its log transaction how far the import has got, and lines up
    /// to <paramref name="doneThrough"/> (what the import committed before) are skipped, so a resumed import logs no
    /// line twice. The upload is recorded in the audit trail, with its counts, in the transaction of its last batch.
    /// </summary>
    public async Task<ImportSummary> ImportAsync(string provider, PipeReader body, string? importId, long firstLine, long doneThrough, AuditActor actor,
        CancellationToken ct)
    {
        var o = options.Value;
        // An upload without an import id is named in the audit trail by an id of its own.
        var tally = new Tally(o.MaxReportedErrors, importId, actor, provider, importId ?? Guid.NewGuid().ToString("N")[..16]);
        var batch = new Batch(Math.Max(firstLine, doneThrough + 1), o.BatchSize);
        // A three-stage pipeline, one batch per stage: lines are read and validated here while the batch before is
        // signed on the other cores and the one before that is appended to the log.
        Task<SignedBatch>? signing = null;
        Task<AppendedBatch>? appending = null;
        try
        {
            await foreach (var read in ImportLines.ReadAsync(body, o.MaxLineBytes, ct))
            {
                var line = read with { Number = read.Number + firstLine - 1 };
                tally.Read(line.Number);
                if (line.Number <= doneThrough)
                {
                    tally.Skipped++;
                    continue;
                }

                if (line.Bytes is null)
                {
                    batch.Reject(tally, new ImportError(line.Number, "line", "line.too-long", $"The line is longer than {o.MaxLineBytes} bytes."));
                }
                else if (Validate(line, provider, out var error) is { } candidate)
                {
                    batch.Rows.Add(candidate);
                }
                else
                {
                    batch.Reject(tally, error!);
                }

                batch.ThroughLine = line.Number;
                if (batch.Rows.Count == o.BatchSize)
                {
                    (signing, appending) = await AdvanceAsync(provider, importId, batch, signing, appending, tally, ct);
                    batch = new Batch(line.Number + 1, o.BatchSize);
                }
            }

            (signing, appending) = await AdvanceAsync(provider, importId, batch, signing, appending, tally, ct);
            (signing, appending) = await AdvanceAsync(provider, importId, null, signing, appending, tally, ct);
            if (appending is not null)
            {
                tally.Logged(await appending);
            }
        }
        catch (Exception e)
        {
            // Never answer while a batch is still being signed or written, so that what is logged here is final.
            if (signing is not null)
            {
                await Task.WhenAny(signing);
            }

            if (appending is not null)
            {
                await Task.WhenAny(appending);
                if (appending.IsCompletedSuccessfully)
                {
                    tally.Logged(appending.Result);
                }
            }

            LogStopped(logger, e, provider, tally.Imported, importId ?? "(none)", tally.CommittedThrough);
            await RecordStoppedAsync(tally);
            throw;
        }
        finally
        {
            // What was committed counts even when the import stopped part way.
            metrics.Imported(provider, tally.Imported, tally.Rejected);
        }

        if (!tally.Audited)
        {
            // Nothing was appended (an empty upload): there is no batch transaction to record the upload in.
            await audit.RecordAsync(actor, tally.Event(0, complete: true), time.GetUtcNow(), ct);
        }

        // Every imported mapping is findable on this replica once the import answers.
        await index.CatchUpAfterWriteAsync(ct);
        LogImported(logger, provider, tally.Imported, tally.Rejected);
        return tally.Summary();
    }

    /// <summary>The row ready to sign, or null with the reason in <paramref name="error"/>.</summary>
    private static Candidate? Validate(ImportLine line, string provider, out ImportError? error)
    {
        error = null;
        ImportRow? row;
        try
        {
            row = JsonSerializer.Deserialize(line.Bytes, ServerJson.Default.ImportRow);
        }
        catch (JsonException e)
        {
            var json = JsonErrors.Describe(e, ServerJson.Default.ImportRow);
            return Fail(line, json.Field ?? "json", json.Code, json.Detail, out error);
        }

        if (row is null)
        {
            return Fail(line, "json", "json.malformed", "Not a JSON object: each line holds one {sii, ssi, publicKey, tags}.", out error);
        }

        if (!Sii.TryParse(row.Sii, out var sii, out var siiError))
        {
            return Fail(line, "sii", siiError.Code, siiError.Message, out error);
        }

        if (!Ssi.TryParse(row.Ssi, out var ssi, out var ssiError))
        {
            return Fail(line, "ssi", ssiError.Code, ssiError.Message, out error);
        }

        if (ssi.Kind != SsiKind.User)
        {
            return Fail(line, "ssi", "ssi.not-a-user", "ssi must name a user: mimi://DOMAIN/u/NAME.", out error);
        }

        if (ssi.Domain != provider)
        {
            return Fail(line, "ssi", "ssi.foreign-domain", $"ssi belongs to '{ssi.Domain}'; a provider imports only its own users.", out error);
        }

        var tags = row.Tags ?? [];
        if (tags.Length > 8 || Array.Exists(tags, t => t is null || !TagPattern().IsMatch(t)))
        {
            return Fail(line, "tags", "tags.invalid", "tags holds at most 8 preference tags, each 1 to 32 of a-z, 0-9 and '-'.", out error);
        }

        var key = new byte[((row.PublicKey?.Length ?? 0) * 3 / 4) + 3];
        if (string.IsNullOrEmpty(row.PublicKey) || !Convert.TryFromBase64String(row.PublicKey, key, out var written))
        {
            return Fail(line, "publicKey", "publicKey.not-base64", "publicKey must be the base64 DER SubjectPublicKeyInfo of the user's key (P-256 or Ed25519).", out error);
        }

        return new Candidate(line.Number, sii, ssi, key[..written], tags);
    }

    private static Candidate? Fail(ImportLine line, string field, string code, string detail, out ImportError error)
    {
        error = new ImportError(line.Number, field, code, detail);
        return null;
    }

    /// <summary>
    /// Moves the pipeline one step: starts signing <paramref name="batch"/> in the background, then waits for the
    /// batch signed before it and for the append before that (its results are counted in order) and starts appending
    /// the signed one, with the import's progress mark. The last append (nothing is left to sign after it) also records
    /// the upload in the audit trail, so it happens even without rows or a mark. Returns the signing and the append still running.
    /// </summary>
    private async Task<(Task<SignedBatch>? Signing, Task<AppendedBatch>? Appending)> AdvanceAsync(string provider, string? importId,
        Batch? batch, Task<SignedBatch>? signing, Task<AppendedBatch>? appending, Tally tally, CancellationToken ct)
    {
        var next = batch is null || batch.IsEmpty ? null : Task.Run(() => Sign(provider, batch, ct), ct);
        if (signing is null)
        {
            return (next, appending);
        }

        var signed = await signing;
        foreach (var error in signed.Rejected)
        {
            tally.Reject(error);
        }

        if (appending is not null)
        {
            tally.Logged(await appending);
        }

        // A batch of rejected lines only is still marked done when the import is resumable, so a resume skips it too.
        var mark = importId is null ? null
            : new ImportMark(provider, importId, signed.Source.FirstLine, signed.Source.ThroughLine, signed.Source.Rejected + signed.Rejected.Count);
        // Every write of an import is applied, so the last batch knows the upload's final counts before it commits.
        var act = next is null ? new AuditedAct(tally.Actor, tally.Event(signed.Writes.Count, complete: true)) : null;
        return (next, signed.Writes.Count == 0 && mark is null && act is null ? null : AppendAsync(signed.Writes, mark, act, signed.Source.ThroughLine, ct));
    }

    private async Task<AppendedBatch> AppendAsync(List<LogWrite> writes, ImportMark? mark, AuditedAct? act, long throughLine, CancellationToken ct)
    {
        var results = await log.AppendAsync(writes, mark, act, ct);
        // Imports append past the sequencer, so they ask for cosigning themselves (signals coalesce; nothing waits).
        cosigner?.Signal();
        return new(results, throughLine, act is not null);
    }

    /// <summary>
    /// An upload that stopped after committing batches has no record of its own (its last batch never came): record
    /// what it committed, marked incomplete, if storage lets us; the original failure is what the caller hears of.
    /// </summary>
    private async Task RecordStoppedAsync(Tally tally)
    {
        if (tally.Audited || tally.Imported == 0)
        {
            return;
        }

        try
        {
            await audit.RecordAsync(tally.Actor, tally.Event(0, complete: false), time.GetUtcNow(), CancellationToken.None);
        }
        catch (StorageException e)
        {
            LogStoppedUnrecorded(logger, e, tally.Provider, tally.Imported);
        }
    }

    /// <summary>
    /// Issues the certificates of a batch and computes their identifier indexes across cores; the rows take their log
    /// indexes in the append.
    /// </summary>
    private SignedBatch Sign(string provider, Batch source, CancellationToken ct)
    {
        var batch = source.Rows;
        var now = time.GetUtcNow();
        var notAfter = now + authority.Value.CredentialLifetime;
        var key = proofs.Keys.Current;
        var kid = key.PublicKey.KeyId;
        var issued = new IssuedCredential?[batch.Count];
        var indexes = new byte[batch.Count][];
        var entries = new (byte[] Entry, EntryOpening Opening)[batch.Count];
        var refused = new string?[batch.Count];
        Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var c = batch[i];
            try
            {
                var credential = ca.Issue(new CredentialRequest(c.PublicKey, c.Ssi.Value, c.Sii.Value, now.AddMinutes(-1), notAfter));
                indexes[i] = key.Evaluate(IndexedLogEntries.Alpha(c.Sii.Value));
                var value = IndexedLogEntries.IssuanceValue(c.Sii.Value, c.Ssi.Value, provider, credential.SerialHex, credential.Der, Attestation.Provider,
                    credential.NotAfter);
                entries[i] = IndexedLogEntries.Issuance(now, kid, indexes[i], c.Sii.Value, value);
                issued[i] = credential;
            }
            catch (ArgumentException e)
            {
                refused[i] = e.Message;
            }
        });

        var writes = new List<LogWrite>(batch.Count);
        var rejected = new List<ImportError>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (issued[i] is not { } credential)
            {
                rejected.Add(new ImportError(batch[i].Line, "publicKey", "publicKey.invalid", refused[i]!));
                continue;
            }

            var c = batch[i];
            var index = indexes[i];
            var (entry, opening) = entries[i];
            writes.Add(new IssueCredentialWrite(entry, logIndex => new CredentialRecord(credential.SerialHex, provider, c.Sii.Value, c.Ssi.Value, c.Tags,
                Attestation.Provider, credential.Der, CredentialRecord.AssertionSignedOnFirstUse, credential.NotBefore, credential.NotAfter, logIndex, now,
                VrfKeyId: kid, IdentifierIndex: index, LogOpening: opening.Opening))
            { Opening = opening });
        }

        return new SignedBatch(writes, rejected, source);
    }

    private sealed record SignedBatch(List<LogWrite> Writes, List<ImportError> Rejected, Batch Source);

    private sealed record AppendedBatch(IReadOnlyList<LogWriteResult> Results, long ThroughLine, bool Audited);

    /// <summary>Lines [<see cref="FirstLine"/>, <see cref="ThroughLine"/>]: the good rows among them and how many were refused.</summary>
    private sealed class Batch(long firstLine, int capacity)
    {
        public List<Candidate> Rows { get; } = new(capacity);

        public long FirstLine { get; } = firstLine;

        public long ThroughLine { get; set; } = firstLine - 1;

        public long Rejected { get; private set; }

        public bool IsEmpty => ThroughLine < FirstLine;

        public void Reject(Tally tally, ImportError error)
        {
            Rejected++;
            tally.Reject(error);
        }
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex TagPattern();

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Import by {Provider}: {Imported} issued and logged, {Rejected} rejected")]
    private static partial void LogImported(ILogger logger, string provider, long imported, long rejected);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning,
        Message = "Import by {Provider} stopped after {Imported} rows were issued and logged (import {ImportId}: lines through {ThroughLine} committed)")]
    private static partial void LogStopped(ILogger logger, Exception exception, string provider, long imported, string importId, long throughLine);

    [LoggerMessage(EventId = 1580, Level = LogLevel.Error,
        Message = "Import by {Provider} stopped after {Imported} rows were issued and logged, and the audit trail could not record it")]
    private static partial void LogStoppedUnrecorded(ILogger logger, Exception exception, string provider, long imported);

    private sealed record Candidate(long Line, Sii Sii, Ssi Ssi, byte[] PublicKey, string[] Tags);

    private sealed class Tally(int maxErrors, string? importId, AuditActor actor, string provider, string uploadId)
    {
        private readonly List<ImportError> _errors = [];
        private long? _first;
        private long? _last;

        public long Imported { get; private set; }

        public long Rejected { get; private set; }

        /// <summary>Lines skipped because this import committed them before.</summary>
        public long Skipped { get; set; }

        /// <summary>The last line read.</summary>
        public long LastLine { get; private set; }

        /// <summary>The last line of the last batch committed by this upload.</summary>
        public long CommittedThrough { get; private set; }

        /// <summary>Whether a committed batch recorded the upload in the audit trail.</summary>
        public bool Audited { get; private set; }

        public AuditActor Actor => actor;

        public string Provider => provider;

        public void Read(long line) => LastLine = line;

        /// <summary>The upload's audit event, with <paramref name="pending"/> rows of a batch not yet counted.</summary>
        public AuditEvent Event(long pending, bool complete) => new(AuditActions.ImportRun, AuditTargets.Import(uploadId), provider, null,
            AuditChange.Of(("imported", Imported + pending), ("rejected", Rejected), ("skipped", Skipped), ("lastLine", LastLine), ("complete", complete)));

        public void Reject(ImportError error)
        {
            Rejected++;
            if (_errors.Count < maxErrors)
            {
                _errors.Add(error);
            }
        }

        public void Logged(AppendedBatch batch)
        {
            CommittedThrough = batch.ThroughLine;
            Audited |= batch.Audited;
            foreach (var result in batch.Results)
            {
                Imported++;
                _first = Math.Min(_first ?? long.MaxValue, result.Index);
                _last = Math.Max(_last ?? long.MinValue, result.Index);
            }
        }

        public ImportSummary Summary() => new(Imported, Rejected, [.. _errors.OrderBy(e => e.Line)], _first, _last, importId, Skipped, LastLine);
    }
}
