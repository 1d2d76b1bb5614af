using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>
/// A provider's monitor of the accountable log (docs/accountability.md §4). Each pass verifies the newest checkpoint
/// (log key, witness quorum, consistency with the one trusted before), reads the new entry bundles and re-hashes every
/// entry into the trusted right edge (so the monitor audits the log too), collects every entry under the index of a
/// watched identifier (the provider's own, read from the authority, and any given), asks the authority to open them and
/// classifies each: expected (the provider's own issuance or revocation) or an alert (another provider or user, an
/// unknown serial, an opening refused or failing, a value for another identifier). A newly watched identifier is
/// scanned from the start of the log.
/// </summary>
public sealed class LogMonitor
{
    /// <summary>Entry bundles fetched at once unless told otherwise.</summary>
    public const int DefaultConcurrency = 4;

    private readonly MimiDiscoveryClient _client;
    private readonly string _provider;
    private readonly CheckpointTrust _trust;

    /// <summary>Creates a monitor.</summary>
    /// <param name="client">A client authenticated as the provider (indexes and openings are given only to a holder).</param>
    /// <param name="provider">The provider's domain: issuances to it with a serial it holds are expected.</param>
    /// <param name="trust">The log's key, the witnesses' keys and the quorum.</param>
    public LogMonitor(MimiDiscoveryClient client, string provider, CheckpointTrust trust)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(trust);
        _client = client;
        _provider = provider;
        _trust = trust;
    }

    /// <summary>Entry bundles in flight at once (1 to 64).</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>Runs one pass; never throws for a misbehaving log or authority, it reports.</summary>
    /// <param name="trusted">The state the last pass kept, or null for a first pass.</param>
    /// <param name="identifiers">Identifiers to watch besides those of the provider's own live credentials.</param>
    /// <param name="ct">Cancels the pass.</param>
    public async Task<MonitorReport> RunAsync(MonitorState? trusted, IReadOnlyList<string> identifiers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Concurrency, 64);
        var checks = new List<string>();
        try
        {
            return await PassAsync(trusted, identifiers, checks, ct);
        }
        catch (MimiApiException e)
        {
            return Fail(checks, "The service answered an error: " + e.Message);
        }
        catch (System.Text.Json.JsonException e)
        {
            return Fail(checks, "The service answered something that is not the expected JSON: " + e.Message);
        }
    }

    private async Task<MonitorReport> PassAsync(MonitorState? trusted, IReadOnlyList<string> identifiers, List<string> checks, CancellationToken ct)
    {
        var verifierKey = _trust.Log.VerifierKey;
        var head = trusted is null ? null : new CheckpointFollower.Trusted(trusted.Origin, trusted.VerifierKey, trusted.Size, Convert.FromBase64String(trusted.Root), trusted.Frontier);
        var advance = await CheckpointFollower.AdvanceAsync(_client, _trust, head, checks, ct);
        if (advance.Problem is not null)
        {
            return Fail(checks, advance.Problem);
        }

        var edge = advance.Edge!;
        var checkpoint = advance.Checkpoint!;
        var findings = new List<MonitorFinding>();
        var refused = new List<IdentifierRefusal>();
        var own = await OwnCredentialsAsync(ct);
        var watched = await WatchAsync(trusted, identifiers, own, findings, refused, ct);

        // A newly watched identifier (or a new VRF key) needs the whole log again; the tree is then re-hashed from 0.
        var scanFrom = watched.Count == 0 ? trusted?.Size ?? 0 : Math.Min(trusted?.Size ?? 0, watched.Min(w => w.ScannedTo));
        if (scanFrom < edge.Size)
        {
            edge = new MerkleFrontier();
            scanFrom = 0;
        }

        var scan = new Scan(watched, edge, head);
        if (await ScanAsync(scan, scanFrom, checkpoint.Size, ct) is { } broken)
        {
            return Fail(checks, broken);
        }

        if (!edge.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            return Fail(checks, $"Re-hashing the entries does not give the checkpoint's root for size {checkpoint.Size}: entries were altered.");
        }

        checks.Add(scanFrom == checkpoint.Size
            ? $"No new entries since size {checkpoint.Size}."
            : $"Entries {scanFrom} to {checkpoint.Size - 1} read from {Math.Max(0, checkpoint.Size - scanFrom + 255) / 256} entry bundles and re-hashed to the checkpoint root; "
              + $"{scan.Matches.Count} under the {watched.Count} watched identifiers' indexes.");

        await ClassifyAsync(scan.Matches, own, findings, ct);
        var state = new MonitorState(checkpoint.Origin, verifierKey, checkpoint.Size, Convert.ToBase64String(checkpoint.RootHash),
            [.. edge.Export().Select(Convert.ToBase64String)], advance.Note!, [.. watched.Select(w => w with { ScannedTo = checkpoint.Size })]);
        return new MonitorReport(true, state, checks, findings, refused);
    }

    /// <summary>The provider's credentials by serial (the newest thousand; older ones are asked for one by one when an entry names them).</summary>
    private async Task<Dictionary<string, Credential>> OwnCredentialsAsync(CancellationToken ct)
    {
        var own = new Dictionary<string, Credential>(StringComparer.OrdinalIgnoreCase);
        foreach (var credential in await _client.ListCredentialsAsync(1000, ct))
        {
            own.TryAdd(credential.Serial, credential);
        }

        return own;
    }

    /// <summary>
    /// The identifiers to watch with their indexes: those of the provider's live credentials and the given ones. Indexes
    /// already known are kept; missing ones (a new identifier, a new VRF key) are asked for and their proofs verified
    /// against the published keys, so the authority cannot hide entries behind a wrong index.
    /// </summary>
    private async Task<List<WatchedIdentifier>> WatchAsync(MonitorState? trusted, IReadOnlyList<string> given, Dictionary<string, Credential> own,
        List<MonitorFinding> findings, List<IdentifierRefusal> refused, CancellationToken ct)
    {
        var now = _client.Time.GetUtcNow();
        var names = new List<string>();
        foreach (var credential in own.Values.Where(c => c.RevokedAt is null && c.NotAfter > now))
        {
            names.Add(credential.Sii);
        }

        foreach (var identifier in given)
        {
            if (Sii.TryParse(identifier, out var sii, out var error))
            {
                names.Add(sii.Value);
            }
            else
            {
                refused.Add(new IdentifierRefusal(identifier, "malformed: " + error.Message));
            }
        }

        names = [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var keys = await _client.GetVrfKeysAsync(ct);
        var published = keys.Keys.Select(k => k.Kid).ToHashSet(StringComparer.Ordinal);
        var known = (trusted?.Watched ?? []).ToDictionary(w => w.Identifier, StringComparer.Ordinal);
        var missing = names.Where(n => !known.TryGetValue(n, out var w) || !published.IsSubsetOf(w.Indexes.Select(i => i.VrfKey))).ToList();
        var granted = new Dictionary<string, List<WatchedIndex>>(StringComparer.Ordinal);
        foreach (var batch in missing.Chunk(MimiDiscoveryClient.MaxTransparencyBatch))
        {
            var answer = await _client.GetIdentifierIndexesAsync(batch, ct);
            refused.AddRange(answer.Refused ?? []);
            foreach (var grant in answer.Indexes ?? [])
            {
                if (!batch.Contains(grant.Identifier, StringComparer.Ordinal))
                {
                    continue;
                }

                if (!VerifyGrant(grant, keys))
                {
                    findings.Add(new MonitorFinding(grant.Identifier, -1, "index", null, true,
                        $"The authority gave an index for {grant.Identifier} under VRF key {grant.VrfKey} whose proof does not verify against the published key: it could hide entries behind it."));
                    continue;
                }

                var list = granted.TryGetValue(grant.Identifier, out var l) ? l : granted[grant.Identifier] = [];
                list.Add(new WatchedIndex(grant.VrfKey, grant.IdentifierIndex));
            }
        }

        var watched = new List<WatchedIdentifier>();
        foreach (var name in names)
        {
            var previous = known.GetValueOrDefault(name);
            var indexes = (previous?.Indexes ?? []).ToList();
            var added = false;
            foreach (var index in granted.GetValueOrDefault(name) ?? [])
            {
                if (!indexes.Exists(i => i.VrfKey == index.VrfKey))
                {
                    indexes.Add(index);
                    added = true;
                }
            }

            if (indexes.Count > 0)
            {
                watched.Add(new WatchedIdentifier(name, [.. indexes], previous is null || added ? 0 : previous.ScannedTo));
            }
        }

        return watched;
    }

    private static bool VerifyGrant(IdentifierIndexGrant grant, VrfKeys keys)
    {
        var published = keys.Keys.FirstOrDefault(k => k.Kid == grant.VrfKey);
        var beta = new byte[EcVrf.OutputLength];
        return published is not null
            && CredentialVerifier.Base64(published.PublicKey, 33) is { } encoded && VrfPublicKey.TryParse(encoded, out var key) && key.KeyId == grant.VrfKey
            && CredentialVerifier.Base64(grant.Proof, EcVrf.ProofLength) is { } proof && key.Verify(Encoding.UTF8.GetBytes(grant.Identifier), proof, beta)
            && CredentialVerifier.Base64(grant.IdentifierIndex, EcVrf.OutputLength) is { } index && beta.AsSpan().SequenceEqual(index);
    }

    /// <summary>
    /// Reads entries [<paramref name="from"/>, <paramref name="size"/>) bundle by bundle, a few in flight, in order:
    /// each is re-hashed into the right edge and looked up among the watched indexes. A problem when the log serves
    /// something that is not its tree.
    /// </summary>
    private async Task<string?> ScanAsync(Scan scan, long from, long size, CancellationToken ct)
    {
        if (from >= size)
        {
            return null;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pending = new Queue<(TileCoordinate Bundle, Task<byte[]> Fetch)>();
        var next = from >> TileCoordinate.Height;
        var last = (size - 1) >> TileCoordinate.Height;
        var ranges = new Range[TileCoordinate.FullWidth];
        try
        {
            while (next <= last || pending.Count > 0)
            {
                while (pending.Count < Concurrency && next <= last)
                {
                    var bundle = TileCoordinate.EntryBundleInTree(next++, size);
                    pending.Enqueue((bundle, _client.GetEntryBundleAsync(bundle, stop.Token)));
                }

                var (current, fetch) = pending.Dequeue();
                byte[] data;
                try
                {
                    data = await fetch;
                }
                catch (MimiApiException e)
                {
                    return $"The log refused entry bundle {current.Path}: {e.Message}";
                }

                if (!EntryBundle.TrySplit(data, ranges.AsSpan(0, current.Width)))
                {
                    return $"Entry bundle {current.Path} does not hold {current.Width} entries.";
                }

                var first = current.Index << TileCoordinate.Height;
                for (var i = 0; i < current.Width; i++)
                {
                    var index = first + i;
                    if (index >= from && scan.Take(index, data.AsSpan(ranges[i])) is { } problem)
                    {
                        return problem;
                    }
                }
            }

            return null;
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var (_, fetch) in pending)
            {
                try
                {
                    await fetch;
                }
                catch (Exception e) when (e is OperationCanceledException or MimiApiException or HttpRequestException)
                {
                    // Abandoned after the scan stopped for another reason.
                }
            }
        }
    }

    /// <summary>Asks for the openings of the matched entries and classifies each against the provider's credentials.</summary>
    private async Task ClassifyAsync(List<Match> matches, Dictionary<string, Credential> own, List<MonitorFinding> findings, CancellationToken ct)
    {
        var openings = new Dictionary<long, LogOpening>();
        var refusals = new Dictionary<long, string>();
        foreach (var batch in matches.Select(m => m.LogIndex).Distinct().Chunk(MimiDiscoveryClient.MaxTransparencyBatch))
        {
            var answer = await _client.GetLogOpeningsAsync(batch, ct);
            foreach (var opening in answer.Openings ?? [])
            {
                openings.TryAdd(opening.LogIndex, opening);
            }

            foreach (var refusal in answer.Refused ?? [])
            {
                refusals.TryAdd(refusal.LogIndex, refusal.Reason);
            }
        }

        foreach (var match in matches)
        {
            findings.Add(await ClassifyAsync(match, openings.GetValueOrDefault(match.LogIndex), refusals.GetValueOrDefault(match.LogIndex), own, ct));
        }
    }

    private async Task<MonitorFinding> ClassifyAsync(Match match, LogOpening? opening, string? refusal, Dictionary<string, Credential> own, CancellationToken ct)
    {
        var entry = match.Entry;
        var type = LogEntryContent.TypeName(entry.Type);
        MonitorFinding Alert(string reason, CommittedValue? v = null) =>
            new(match.Identifier, match.LogIndex, type, entry.Time, true, reason, v?.Provider, v?.Ssi, v?.Serial);

        if (opening is null)
        {
            return Alert(refusal is null
                ? $"The authority did not answer for entry {match.LogIndex}, an {type} under this identifier's index: it cannot be checked."
                : $"The authority refuses to open entry {match.LogIndex}, an {type} under this identifier's index ({refusal}): it cannot be checked.");
        }

        var openingBytes = CredentialVerifier.Base64(opening.Opening, LogCommitment.OpeningLength);
        var value = CredentialVerifier.Base64(opening.Value, -1);
        if (openingBytes is null || value is null || !LogCommitment.Opens(entry.Commitment, openingBytes, value))
        {
            return Alert($"The opening the authority gave for entry {match.LogIndex} does not open its commitment.");
        }

        if (!CommittedValue.TryParse(value, out var committed) || committed!.Type != entry.Type)
        {
            return Alert($"Entry {match.LogIndex} opens to a value that is not a {type}.");
        }

        if (!string.Equals(committed.Sii, match.Identifier, StringComparison.Ordinal))
        {
            return Alert($"Entry {match.LogIndex} is under this identifier's index but opens to a value for another identifier.", committed);
        }

        var mine = string.Equals(committed.Provider, _provider, StringComparison.OrdinalIgnoreCase);
        var held = mine ? await FindOwnAsync(committed.Serial, own, ct) : null;
        if (entry.Type == LogEntryType.Revocation)
        {
            return held is not null
                ? new MonitorFinding(match.Identifier, match.LogIndex, type, entry.Time, false,
                    $"Expected: the revocation of this provider's credential {committed.Serial} (reason {committed.Reason}, by {committed.RevokedBy}).",
                    committed.Provider, held.Ssi, committed.Serial)
                : Alert($"A revocation of a credential for this identifier that this provider does not hold: provider {committed.Provider}, serial {committed.Serial}.", committed);
        }

        if (!mine)
        {
            return Alert($"A credential for this identifier was issued to another provider: {committed.Provider} ({committed.Ssi}), serial {committed.Serial}, attestation {committed.Attestation}.", committed);
        }

        if (held is null)
        {
            return Alert($"A credential for this identifier was issued to this provider with a serial it does not hold: {committed.Serial} ({committed.Ssi}).", committed);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(PemCertificate(held.Certificate)));
        return held.Ssi == committed.Ssi && string.Equals(hash, committed.CertificateSha256, StringComparison.OrdinalIgnoreCase) && held.Sii == committed.Sii
            ? new MonitorFinding(match.Identifier, match.LogIndex, type, entry.Time, false,
                $"Expected: this provider's credential {committed.Serial} for {committed.Ssi}.", committed.Provider, committed.Ssi, committed.Serial)
            : Alert($"Entry {match.LogIndex} names this provider's serial {committed.Serial} but another user or certificate ({committed.Ssi}).", committed);
    }

    private async Task<Credential?> FindOwnAsync(string serial, Dictionary<string, Credential> own, CancellationToken ct)
    {
        if (own.TryGetValue(serial, out var credential))
        {
            return credential;
        }

        try
        {
            // Beyond the newest thousand: the authority answers only for the caller's own serials.
            credential = await _client.GetCredentialAsync(serial, ct);
            return string.Equals(credential.Provider, _provider, StringComparison.OrdinalIgnoreCase) ? own[serial] = credential : null;
        }
        catch (MimiApiException e) when (e.Status is 400 or 404)
        {
            return null;
        }
    }

    private static byte[] PemCertificate(string pem) =>
        PemEncoding.TryFind(pem, out var found) ? Convert.FromBase64String(pem[found.Base64Data]) : [];

    private static MonitorReport Fail(List<string> checks, string problem)
    {
        checks.Add("FAILED: " + problem);
        return new MonitorReport(false, null, checks, [], []);
    }

    /// <summary>An entry under a watched identifier's index.</summary>
    private sealed record Match(string Identifier, long LogIndex, LogEntryContent Entry);

    /// <summary>The 32 bytes of an identifier index as a hash-set key.</summary>
    private readonly record struct IndexKey(UInt128 High, UInt128 Low)
    {
        public static IndexKey From(ReadOnlySpan<byte> index) =>
            new(MemoryMarshal.Read<UInt128>(index), MemoryMarshal.Read<UInt128>(index[16..]));
    }

    /// <summary>
    /// The per-entry work of a scan: re-hash into the right edge, and find the entries under watched indexes without
    /// parsing the others. The index is read straight after <c>"identifierIndex":"</c>; an entry where that does not
    /// give 32 bytes and a closing quote, or that has no such member but could still be format 2 (a <c>"v"</c> member
    /// or an escape), is parsed in full, so a non-canonical spelling cannot hide an entry.
    /// </summary>
    private sealed class Scan
    {
        private readonly Dictionary<IndexKey, List<(string Identifier, string VrfKey, long ScannedTo)>> _watched = [];
        private readonly MerkleFrontier _edge;
        private readonly CheckpointFollower.Trusted? _trusted;
        private readonly byte[] _index = new byte[EcVrf.OutputLength];

        public Scan(List<WatchedIdentifier> watched, MerkleFrontier edge, CheckpointFollower.Trusted? trusted)
        {
            _edge = edge;
            _trusted = trusted;
            foreach (var w in watched)
            {
                foreach (var index in w.Indexes)
                {
                    if (CredentialVerifier.Base64(index.IdentifierIndex, EcVrf.OutputLength) is { } bytes)
                    {
                        var key = IndexKey.From(bytes);
                        var list = _watched.TryGetValue(key, out var l) ? l : _watched[key] = [];
                        list.Add((w.Identifier, index.VrfKey, w.ScannedTo));
                    }
                }
            }
        }

        public List<Match> Matches { get; } = [];

        private static ReadOnlySpan<byte> Member => "\"identifierIndex\":\""u8;

        public string? Take(long logIndex, ReadOnlySpan<byte> entry)
        {
            _edge.Append(MerkleHash.LeafHash(entry));
            if (_trusted is not null && _edge.Size == _trusted.Size && !_edge.Root().AsSpan().SequenceEqual(_trusted.Root))
            {
                return $"Re-hashing entries 0 to {_trusted.Size - 1} does not give the root trusted before: entries were altered since.";
            }

            if (_watched.Count == 0 || !TryReadIndex(entry, out var key) || !_watched.TryGetValue(key, out var owners))
            {
                return null;
            }

            if (!LogEntryContent.TryParse(entry, out var content) || content!.Format != LogEntryContent.IndexedFormat)
            {
                return null;
            }

            foreach (var (identifier, vrfKey, scannedTo) in owners)
            {
                if (logIndex >= scannedTo && content.VrfKeyId == vrfKey)
                {
                    Matches.Add(new Match(identifier, logIndex, content));
                }
            }

            return null;
        }

        private bool TryReadIndex(ReadOnlySpan<byte> entry, out IndexKey key)
        {
            key = default;
            var at = entry.IndexOf(Member);
            if (at >= 0)
            {
                var rest = entry[(at + Member.Length)..];
                if (rest.Length > 44 && rest[44] == (byte)'"'
                    && Base64.DecodeFromUtf8(rest[..44], _index, out _, out var written) == System.Buffers.OperationStatus.Done && written == EcVrf.OutputLength)
                {
                    key = IndexKey.From(_index);
                    return true;
                }
            }
            else if (entry.IndexOf("\"v\""u8) < 0 && entry.IndexOf((byte)'\\') < 0)
            {
                // Neither the member nor any other spelling of it: not a format-2 entry (a format-1 one, or not an entry).
                return false;
            }

            if (!LogEntryContent.TryParse(entry, out var content) || content!.IdentifierIndex is null)
            {
                return false;
            }

            key = IndexKey.From(content.IdentifierIndex);
            return true;
        }
    }
}
