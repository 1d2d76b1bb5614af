using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mimi.Discovery.Identifiers;
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
        var verifierKey = trust.Log.VerifierKey;
        if (trusted is not null && trusted.VerifierKey != verifierKey)
        {
            return Fail(findings, $"The verifier key changed: trusted '{trusted.VerifierKey}', given '{verifierKey}'.");
        }

        var note = await client.GetCheckpointAsync(ct);
        var verified = trust.Verify(note);
        if (!verified.IsTrusted)
        {
            return Fail(findings, verified.Status switch
            {
                CheckpointTrustStatus.LogSignature => "The checkpoint signature does not verify: " + verified.Reason,
                _ => verified.Reason,
            });
        }

        var checkpoint = verified.Checkpoint!;
        findings.Add($"Checkpoint signature verified: {checkpoint.Origin}, size {checkpoint.Size}, root {Convert.ToBase64String(checkpoint.RootHash)}.");
        if (trust.Witnesses.Count > 0)
        {
            findings.Add($"Witness quorum met: {verified.Cosignatures.Count} of {trust.Witnesses.Count} configured witnesses cosigned (quorum {trust.Quorum})"
                + (verified.Cosignatures.Count > 0 ? $": {string.Join(", ", verified.Cosignatures.Select(c => c.Name))}." : "."));
        }

        var frontier = new MerkleFrontier();
        if (trusted is not null)
        {
            var trustedRoot = Convert.FromBase64String(trusted.Root);
            if (checkpoint.Origin != trusted.Origin)
            {
                return Fail(findings, $"The origin changed from '{trusted.Origin}' to '{checkpoint.Origin}'.");
            }

            if (checkpoint.Size < trusted.Size)
            {
                return Fail(findings, $"The log shrank from {trusted.Size} to {checkpoint.Size} entries: it was rolled back or rewritten.");
            }

            if (checkpoint.Size == trusted.Size && !checkpoint.RootHash.AsSpan().SequenceEqual(trustedRoot))
            {
                return Fail(findings, $"Two different roots for size {trusted.Size}: the log forked.");
            }

            if (checkpoint.Size > trusted.Size && trusted.Size > 0)
            {
                var proof = await client.GetConsistencyProofAsync(trusted.Size, checkpoint.Size, ct);
                if (!MerkleProof.VerifyConsistency(trusted.Size, checkpoint.Size, trustedRoot, checkpoint.RootHash, Decode(proof.Hashes)))
                {
                    return Fail(findings, $"The consistency proof from {trusted.Size} to {checkpoint.Size} does not verify: the log was rewritten or forked.");
                }

                findings.Add($"Consistency from {trusted.Size} to {checkpoint.Size} verified.");
            }

            frontier = MerkleFrontier.Restore(trusted.Size, trusted.Frontier.Select(Convert.FromBase64String).ToList());
            if (!frontier.Root().AsSpan().SequenceEqual(trustedRoot))
            {
                return Fail(findings, "The stored audit state is inconsistent (its right edge does not give its root).");
            }
        }

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
        foreach (var credential in credentials)
        {
            var (problem, status) = await CheckInclusionAsync(credential, checkpoint, ct);
            if (problem is not null)
            {
                return Fail(findings, problem);
            }

            findings.Add($"Credential at log index {credential.LogIndex} (serial {status!.Serial}) is included.");
            statuses.Add(status);
        }

        if (await FindRevocationsAsync(statuses, checkpoint, ct) is { } revocationProblem)
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

    private async Task<(string? Problem, CredentialStatus? Status)> CheckInclusionAsync(CredentialToCheck credential, Checkpoint checkpoint, CancellationToken ct)
    {
        if (credential.LogIndex < 0 || credential.LogIndex >= checkpoint.Size)
        {
            return ($"Log index {credential.LogIndex} is not in the tree of size {checkpoint.Size}.", null);
        }

        var page = await client.GetLogEntriesAsync(credential.LogIndex, 1, ct);
        var data = Convert.FromBase64String(page.Entries.Single().Data);
        var expected = Convert.ToHexStringLower(SHA256.HashData(credential.Certificate));
        if (!UntrustedJson.TryParse(data, out var parsed))
        {
            return ($"Entry {credential.LogIndex} is not a JSON log entry.", null);
        }

        using var entry = parsed;
        if (entry.RootElement.ValueKind != JsonValueKind.Object || !entry.RootElement.TryGetProperty("certificateSha256", out var hash)
            || hash.ValueKind != JsonValueKind.String || hash.GetString() != expected)
        {
            return ($"Entry {credential.LogIndex} does not log this certificate.", null);
        }

        var proof = await client.GetInclusionProofAsync(credential.LogIndex, checkpoint.Size, ct);
        if (!MerkleProof.VerifyInclusion(MerkleHash.LeafHash(data), credential.LogIndex, checkpoint.Size, Decode(proof.Hashes), checkpoint.RootHash))
        {
            return ($"The inclusion proof of entry {credential.LogIndex} does not verify against the checkpoint.", null);
        }

        // The entry names the serial the revocation will name; the certificate's own serial is the fallback.
        var serial = entry.RootElement.TryGetProperty("serial", out var named) && named.ValueKind == JsonValueKind.String && named.GetString() is { Length: > 0 } value
            ? value
            : Convert.ToHexStringLower(X509CertificateLoader.LoadCertificate(credential.Certificate).SerialNumberBytes.Span);
        DateTimeOffset? notAfter = entry.RootElement.TryGetProperty("notAfter", out var expiry) && expiry.ValueKind == JsonValueKind.String
            && expiry.TryGetDateTimeOffset(out var time) ? time : null;
        return (null, new CredentialStatus(credential.LogIndex, serial, notAfter));
    }

    /// <summary>
    /// Reads the log after the earliest checked credential for revocations of their serials; each one found is proved
    /// included before it is believed. A problem when one does not verify.
    /// </summary>
    private async Task<string?> FindRevocationsAsync(List<CredentialStatus> statuses, Checkpoint checkpoint, CancellationToken ct)
    {
        if (statuses.Count == 0)
        {
            return null;
        }

        for (var start = statuses.Min(s => s.LogIndex) + 1; start < checkpoint.Size;)
        {
            var page = await client.GetLogEntriesAsync(start, (int)Math.Min(PageSize, checkpoint.Size - start), ct);
            if (page.Entries.Length == 0)
            {
                return $"The log serves no entry at {start} although its checkpoint has {checkpoint.Size}.";
            }

            foreach (var entry in page.Entries)
            {
                var data = Convert.FromBase64String(entry.Data);
                if (data.AsSpan().IndexOf("\"revocation\""u8) < 0 || Revocation(data) is not { } revocation)
                {
                    continue;
                }

                for (var i = 0; i < statuses.Count; i++)
                {
                    var status = statuses[i];
                    if (status.IsRevoked || entry.Index <= status.LogIndex || !string.Equals(status.Serial, revocation.Serial, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var proof = await client.GetInclusionProofAsync(entry.Index, checkpoint.Size, ct);
                    if (!MerkleProof.VerifyInclusion(MerkleHash.LeafHash(data), entry.Index, checkpoint.Size, Decode(proof.Hashes), checkpoint.RootHash))
                    {
                        return $"The revocation at log index {entry.Index} does not verify against the checkpoint.";
                    }

                    statuses[i] = status with { RevocationIndex = entry.Index, RevokedAt = revocation.Time, RevocationReason = revocation.Reason };
                }
            }

            start = page.Entries[^1].Index + 1;
        }

        return null;
    }

    /// <summary>The serial, time and reason of a revocation entry; null for any other entry.</summary>
    private static (string Serial, DateTimeOffset? Time, string? Reason)? Revocation(byte[] data)
    {
        // The log's entries are untrusted input: a wrong type or text that is not Unicode is "not a revocation".
        if (!UntrustedJson.TryParse(data, out var entry))
        {
            return null;
        }

        using (entry)
        {
            var root = entry.RootElement;
            if (root.ValueKind != JsonValueKind.Object || UntrustedJson.Text(root, "type") != "revocation" || UntrustedJson.Text(root, "serial") is not { } value)
            {
                return null;
            }

            DateTimeOffset? time = root.TryGetProperty("time", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out var parsed)
                ? parsed
                : null;
            return (value, time, UntrustedJson.Text(root, "reason"));
        }
    }

    private static AuditReport Fail(List<string> findings, string problem)
    {
        findings.Add("FAILED: " + problem);
        return new AuditReport(false, null, findings, []);
    }

    private static byte[][] Decode(string[] hashes) => hashes.Select(Convert.FromBase64String).ToArray();
}
