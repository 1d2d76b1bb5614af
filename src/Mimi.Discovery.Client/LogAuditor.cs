using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>
/// Audits a log it did not write: verifies the checkpoint signature, proves the new tree extends the one trusted
/// before (consistency proof, and no shrinking or forking at the same size), re-hashes every new entry into the
/// trusted right edge and compares the root, re-checks a random sample of the entries audited before (an entry
/// altered after an auditor saw it changes no new entry and no consistency proof, so only a re-check finds it), and
/// proves the inclusion of given credentials and of any revocation of them the log holds.
/// </summary>
public sealed class LogAuditor(MimiDiscoveryClient client)
{
    /// <summary>Old entries re-checked per audit unless told otherwise.</summary>
    public const int DefaultSampleSize = 16;

    private const int PageSize = 1000;

    /// <summary>Runs the audit on the log's signature alone (no witness quorum); never throws for a misbehaving log, it reports.</summary>
    /// <param name="trusted">The state the last audit kept, or null for a first audit.</param>
    /// <param name="verifierKey">The log's note verifier key.</param>
    /// <param name="credentials">Credentials whose inclusion (and revocation status) to prove.</param>
    /// <param name="checkEntries">Re-hash every entry not audited before.</param>
    /// <param name="sampleSize">How many entries not re-hashed by this audit to re-check by inclusion proof, chosen at random.</param>
    /// <param name="ct">Cancels the audit.</param>
    public Task<AuditReport> AuditAsync(AuditState? trusted, string verifierKey, IReadOnlyList<CredentialToCheck> credentials,
        bool checkEntries = true, int sampleSize = DefaultSampleSize, CancellationToken ct = default)
    {
        if (!NoteVerifier.TryParse(verifierKey, out var verifier))
        {
            return Task.FromResult(Fail([], $"Not a note verifier key: '{verifierKey}'."));
        }

        return AuditAsync(trusted, new CheckpointTrust(verifier, [], 0), credentials, checkEntries, sampleSize, ct);
    }

    /// <summary>
    /// Runs the audit against a checkpoint that must carry the log's signature and the cosignatures of
    /// <see cref="CheckpointTrust.Quorum"/> of its witnesses (a finding names the quorum when it does not); never throws
    /// for a misbehaving log, it reports.
    /// </summary>
    /// <param name="trusted">The state the last audit kept, or null for a first audit.</param>
    /// <param name="trust">The log's note verifier key, the witness keys and the quorum.</param>
    /// <param name="credentials">Credentials whose inclusion (and revocation status) to prove.</param>
    /// <param name="checkEntries">Re-hash every entry not audited before.</param>
    /// <param name="sampleSize">How many entries not re-hashed by this audit to re-check by inclusion proof, chosen at random.</param>
    /// <param name="ct">Cancels the audit.</param>
    public async Task<AuditReport> AuditAsync(AuditState? trusted, CheckpointTrust trust, IReadOnlyList<CredentialToCheck> credentials,
        bool checkEntries = true, int sampleSize = DefaultSampleSize, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var findings = new List<string>();
        try
        {
            return await RunAsync(trusted, trust, credentials, checkEntries, sampleSize, findings, ct);
        }
        catch (MimiApiException e)
        {
            // The log refusing to serve what it must (an entry, a proof) is a finding, not a crash of the auditor.
            return Fail(findings, "The log answered an error: " + e.Message);
        }
    }

    private async Task<AuditReport> RunAsync(AuditState? trusted, CheckpointTrust trust, IReadOnlyList<CredentialToCheck> credentials,
        bool checkEntries, int sampleSize, List<string> findings, CancellationToken ct)
    {
        var advance = await CheckpointFollower.AdvanceAsync(client, trust,
            trusted is null ? null : new CheckpointFollower.Trusted(trusted.Origin, trusted.VerifierKey, trusted.Size, Convert.FromBase64String(trusted.Root), trusted.Frontier),
            findings, ct);
        if (advance.Problem is not null)
        {
            return Fail(findings, advance.Problem);
        }

        var (checkpoint, note, frontier) = (advance.Checkpoint!, advance.Note!, advance.Edge!);
        var verifierKey = trust.Log.VerifierKey;
        if (checkEntries)
        {
            for (var start = frontier.Size; start < checkpoint.Size;)
            {
                LogEntries page;
                try
                {
                    page = await client.GetLogEntriesAsync(start, (int)Math.Min(PageSize, checkpoint.Size - start), ct);
                }
                catch (MimiApiException e)
                {
                    return Fail(findings, $"The log refused new entries from {start}: {e.Message}");
                }

                if (page.Entries.Length == 0)
                {
                    return Fail(findings, $"The log serves no entry at {start} although its checkpoint has {checkpoint.Size}.");
                }

                foreach (var entry in page.Entries)
                {
                    if (entry.Index != frontier.Size)
                    {
                        return Fail(findings, $"Expected entry {frontier.Size}, got {entry.Index}.");
                    }

                    frontier.Append(MerkleHash.LeafHash(Convert.FromBase64String(entry.Data)));
                }

                start = frontier.Size;
            }

            if (!frontier.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                return Fail(findings, $"Re-hashing the entries does not give the checkpoint's root for size {checkpoint.Size}: entries were altered.");
            }

            findings.Add($"Every entry up to {checkpoint.Size} re-hashed to the checkpoint root.");
        }

        // Entries below this were audited before (or, with checkEntries off, not re-hashed at all).
        var rehashedFrom = checkEntries ? trusted?.Size ?? 0 : checkpoint.Size;
        if (await CheckSampleAsync(rehashedFrom, sampleSize, checkpoint, findings, ct) is { } altered)
        {
            return Fail(findings, altered);
        }

        var statuses = new List<CredentialStatus>();
        var issuances = new List<LogEntryContent>();
        foreach (var credential in credentials)
        {
            var (problem, status, issuance) = await CheckInclusionAsync(credential, checkpoint, ct);
            if (problem is not null)
            {
                return Fail(findings, problem);
            }

            findings.Add($"Credential at log index {credential.LogIndex} (serial {status!.Serial}) is included.");
            statuses.Add(status);
            issuances.Add(issuance!);
        }

        if (await FindRevocationsAsync(statuses, issuances, checkpoint, findings, ct) is { } revocationProblem)
        {
            return Fail(findings, revocationProblem);
        }

        foreach (var status in statuses)
        {
            findings.Add(status.IsRevoked
                ? $"REVOKED: the credential at log index {status.LogIndex} (serial {status.Serial}) was revoked by log entry {status.RevocationIndex}"
                  + $"{(status.RevokedAt is { } at ? $" at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" : "")} (reason {status.RevocationReason ?? "unspecified"}); that entry is proved included."
                : $"No revocation of the credential at log index {status.LogIndex} in the log up to size {checkpoint.Size}"
                  + (status.NotAfter is { } notAfter ? $"; it expires at {notAfter.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z." : "."));
        }

        var state = checkEntries
            ? new AuditState(checkpoint.Origin, verifierKey, checkpoint.Size, Convert.ToBase64String(checkpoint.RootHash),
                frontier.Export().Select(Convert.ToBase64String).ToArray(), note)
            : trusted;
        return new AuditReport(true, state, findings, statuses);
    }

    /// <summary>
    /// Re-checks up to <paramref name="sampleSize"/> entries below <paramref name="end"/>, chosen at random (all of
    /// them when there are fewer): each must be served and prove included in the checkpoint's tree.
    /// </summary>
    private async Task<string?> CheckSampleAsync(long end, int sampleSize, Checkpoint checkpoint, List<string> findings, CancellationToken ct)
    {
        if (end == 0 || sampleSize <= 0)
        {
            return null;
        }

        foreach (var index in Sample(end, sampleSize))
        {
            var what = $"Entry {index} (audited before, re-checked at random)";
            try
            {
                var page = await client.GetLogEntriesAsync(index, 1, ct);
                if (page.Entries is not [var entry] || entry.Index != index)
                {
                    return $"{what} is not served.";
                }

                var proof = await client.GetInclusionProofAsync(index, checkpoint.Size, ct);
                if (!MerkleProof.VerifyInclusion(MerkleHash.LeafHash(Convert.FromBase64String(entry.Data)), index, checkpoint.Size, Decode(proof.Hashes),
                        checkpoint.RootHash))
                {
                    return $"{what} does not verify against the checkpoint of size {checkpoint.Size}: the entry, or the tree the log proves it in, was altered after it was logged.";
                }
            }
            catch (MimiApiException e)
            {
                return $"{what} was refused by the log: {e.Message}";
            }
        }

        findings.Add($"{Math.Min(end, sampleSize)} of the {end} entries audited before, chosen at random, re-checked by inclusion proof.");
        return null;
    }

    /// <summary>Distinct indexes below <paramref name="end"/>: all of them, or <paramref name="count"/> drawn with a CSPRNG, so the log cannot predict them.</summary>
    private static List<long> Sample(long end, int count)
    {
        if (end <= count)
        {
            return [.. Enumerable.Range(0, (int)end).Select(i => (long)i)];
        }

        var chosen = new HashSet<long>();
        Span<byte> random = stackalloc byte[8];
        while (chosen.Count < count)
        {
            RandomNumberGenerator.Fill(random);
            chosen.Add((long)(BinaryPrimitives.ReadUInt64LittleEndian(random) % (ulong)end));
        }

        return [.. chosen.Order()];
    }

    private async Task<(string? Problem, CredentialStatus? Status, LogEntryContent? Entry)> CheckInclusionAsync(CredentialToCheck credential, Checkpoint checkpoint,
        CancellationToken ct)
    {
        if (credential.LogIndex < 0 || credential.LogIndex >= checkpoint.Size)
        {
            return ($"Log index {credential.LogIndex} is not in the tree of size {checkpoint.Size}.", null, null);
        }

        var page = await client.GetLogEntriesAsync(credential.LogIndex, 1, ct);
        var data = Convert.FromBase64String(page.Entries.Single().Data);
        var expected = Convert.ToHexStringLower(SHA256.HashData(credential.Certificate));
        if (!LogEntryContent.TryParse(data, out var entry))
        {
            return ($"Entry {credential.LogIndex} is not a log entry.", null, null);
        }

        string? serial;
        DateTimeOffset? notAfter;
        if (entry!.Format == LogEntryContent.IndexedFormat)
        {
            // Format 2 shows only a commitment: the credential's opening must open it to this certificate.
            var opened = Open(entry, credential.Transparency is { } t && t.LogIndex == credential.LogIndex ? new LogOpening(t.LogIndex, t.Opening, t.Value) : null);
            if (opened is null || opened.Type != LogEntryType.Issuance || opened.CertificateSha256 != expected)
            {
                return ($"Entry {credential.LogIndex} does not log this certificate"
                        + (credential.Transparency is null ? " (it shows a commitment; give the credential's transparency member, as 'mimi issue --out' writes it)." : "."), null, null);
            }

            (serial, notAfter) = (opened.Serial, opened.NotAfter);
        }
        else
        {
            if (entry.CertificateSha256 != expected)
            {
                return ($"Entry {credential.LogIndex} does not log this certificate.", null, null);
            }

            (serial, notAfter) = (entry.Serial, entry.NotAfter);
        }

        var proof = await client.GetInclusionProofAsync(credential.LogIndex, checkpoint.Size, ct);
        if (!MerkleProof.VerifyInclusion(MerkleHash.LeafHash(data), credential.LogIndex, checkpoint.Size, Decode(proof.Hashes), checkpoint.RootHash))
        {
            return ($"The inclusion proof of entry {credential.LogIndex} does not verify against the checkpoint.", null, null);
        }

        // The entry names the serial the revocation will name; the certificate's own serial is the fallback.
        serial = serial is { Length: > 0 } ? serial : Convert.ToHexStringLower(X509CertificateLoader.LoadCertificate(credential.Certificate).SerialNumberBytes.Span);
        return (null, new CredentialStatus(credential.LogIndex, serial, notAfter), entry);
    }

    /// <summary>The committed value an opening reveals, or null when it does not open the entry's commitment.</summary>
    private static CommittedValue? Open(LogEntryContent entry, LogOpening? opening)
    {
        if (opening is null || CredentialVerifier.Base64(opening.Opening, LogCommitment.OpeningLength) is not { } secret
            || CredentialVerifier.Base64(opening.Value, -1) is not { } value || !LogCommitment.Opens(entry.Commitment, secret, value)
            || !CommittedValue.TryParse(value, out var committed) || committed!.Type != entry.Type)
        {
            return null;
        }

        return committed;
    }

    /// <summary>
    /// Reads the log after the earliest checked credential for revocations of their serials: in the clear for format 1;
    /// for format 2, the revocations under a checked credential's identifier index, opened by the authority (which
    /// opens them to the credential's provider). Each one found is proved included before it is believed. A problem
    /// when one does not verify.
    /// </summary>
    private async Task<string?> FindRevocationsAsync(List<CredentialStatus> statuses, List<LogEntryContent> entries, Checkpoint checkpoint,
        List<string> findings, CancellationToken ct)
    {
        if (statuses.Count == 0)
        {
            return null;
        }

        var candidates = new List<(long Index, byte[] Data, LogEntryContent Entry)>();
        for (var start = statuses.Min(s => s.LogIndex) + 1; start < checkpoint.Size;)
        {
            var page = await client.GetLogEntriesAsync(start, (int)Math.Min(PageSize, checkpoint.Size - start), ct);
            if (page.Entries.Length == 0)
            {
                return $"The log serves no entry at {start} although its checkpoint has {checkpoint.Size}.";
            }

            foreach (var item in page.Entries)
            {
                var data = Convert.FromBase64String(item.Data);
                if (data.AsSpan().IndexOf("\"revocation\""u8) >= 0 && LogEntryContent.TryParse(data, out var entry) && entry!.Type == LogEntryType.Revocation
                    && statuses.Where((s, i) => item.Index > s.LogIndex && SameIdentifier(entries[i], entry)).Any())
                {
                    candidates.Add((item.Index, data, entry));
                }
            }

            start = page.Entries[^1].Index + 1;
        }

        var openings = await OpenRevocationsAsync([.. candidates.Where(c => c.Entry.Format == LogEntryContent.IndexedFormat).Select(c => c.Index)], findings, ct);
        foreach (var (index, data, entry) in candidates)
        {
            var revocation = entry.Format == LogEntryContent.IndexedFormat ? Open(entry, openings.GetValueOrDefault(index)) : null;
            var serial = entry.Format == LogEntryContent.IndexedFormat ? revocation?.Serial : entry.Serial;
            if (serial is null)
            {
                continue;
            }

            for (var i = 0; i < statuses.Count; i++)
            {
                var status = statuses[i];
                if (status.IsRevoked || index <= status.LogIndex || !SameIdentifier(entries[i], entry)
                    || !string.Equals(status.Serial, serial, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var proof = await client.GetInclusionProofAsync(index, checkpoint.Size, ct);
                if (!MerkleProof.VerifyInclusion(MerkleHash.LeafHash(data), index, checkpoint.Size, Decode(proof.Hashes), checkpoint.RootHash))
                {
                    return $"The revocation at log index {index} does not verify against the checkpoint.";
                }

                statuses[i] = status with { RevocationIndex = index, RevokedAt = entry.Time, RevocationReason = revocation?.Reason ?? entry.Reason };
            }
        }

        return null;
    }

    /// <summary>Whether a revocation entry can concern a checked credential's entry: both format 1, or both under one index.</summary>
    private static bool SameIdentifier(LogEntryContent issuance, LogEntryContent revocation) =>
        issuance.Format == revocation.Format
        && (issuance.Format != LogEntryContent.IndexedFormat
            || (issuance.VrfKeyId == revocation.VrfKeyId && issuance.IdentifierIndex.AsSpan().SequenceEqual(revocation.IdentifierIndex)));

    /// <summary>The openings of format-2 revocations; those the authority will not open are findings (they may revoke a checked credential).</summary>
    private async Task<Dictionary<long, LogOpening>> OpenRevocationsAsync(List<long> indexes, List<string> findings, CancellationToken ct)
    {
        var openings = new Dictionary<long, LogOpening>();
        foreach (var batch in indexes.Chunk(MimiDiscoveryClient.MaxTransparencyBatch))
        {
            LogOpenings answer;
            try
            {
                answer = await client.GetLogOpeningsAsync(batch, ct);
            }
            catch (InvalidOperationException)
            {
                findings.Add($"Revocations under a checked credential's identifier at log indexes {string.Join(", ", batch)} were not opened: "
                             + "the auditor has no provider credentials to ask for their openings.");
                continue;
            }

            foreach (var opening in answer.Openings ?? [])
            {
                openings.TryAdd(opening.LogIndex, opening);
            }

            foreach (var refusal in answer.Refused ?? [])
            {
                findings.Add($"The authority would not open the revocation at log index {refusal.LogIndex} ({refusal.Reason}); it may revoke a checked credential.");
            }
        }

        return openings;
    }

    private static AuditReport Fail(List<string> findings, string problem)
    {
        findings.Add("FAILED: " + problem);
        return new AuditReport(false, null, findings, []);
    }

    private static byte[][] Decode(string[] hashes) => hashes.Select(Convert.FromBase64String).ToArray();
}
