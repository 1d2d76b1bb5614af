using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// Every active mapping in memory, per replica, keyed by a 128-bit hash of its SII, so that plain lookups never wait
/// for the database. Loaded at start-up; kept current by polling the change sequence that every credential write
/// takes (issuance, revocation, discoverability, removal, import) every <see cref="LookupOptions.IndexRefreshInterval"/>.
/// A replica that makes a change catches up before answering it (<see cref="CatchUpAfterWriteAsync"/>), so the change
/// holds for its next lookup, and announces it (<see cref="MappingChangeSignal"/>, with Redis): other replicas catch up
/// on the message, within milliseconds, and without it (a lost message, Redis down) within one refresh interval.
/// <see cref="MappingIndexRefresher"/> loads it at start-up and drives the polls, the signal and the sweeps.
/// </summary>
internal sealed partial class MappingIndex(
    CredentialStore store,
    MappingAssertionSigner signer,
    Authority.IndexProofs proofs,
    MappingChangeSignal signal,
    TimeProvider time,
    ILogger<MappingIndex> logger) : IDisposable
{
    private const int PageSize = 5000;
    private const ushort FullToken = ushort.MaxValue;
    private const ushort SignedOnFirstUse = ushort.MaxValue - 1;

    // Expired mappings are skipped at answer time; a sweep now and then gives their memory back.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _gate = new(1, 1);

    // The header table grows from the writer and from first-use signing (a lookup): one adds at a time.
    private readonly Lock _headerLock = new();

    // Writer-side pools (touched only under the gate): one string per provider domain, one array per distinct list.
    private readonly Dictionary<string, string> _providers = new(StringComparer.Ordinal);
    private readonly Dictionary<string[], string[]> _lists = new(ListComparer.Instance);

    // Read by lookups while the writer may add one: replaced, never changed in place.
    private volatile string[] _headers = [];

    // A value is one IndexedMapping (almost every identifier) or an IndexedMapping[] (several providers or holders).
    private ConcurrentDictionary<UInt128, object> _bySii = new();
    private long _position = -1;
    private string? _positionSerial;
    private long _requested;
    private long _completed;
    private DateTimeOffset _lastSweep;

    // When the last load or poll that succeeded began: the index held every change committed before it.
    private long _currentAsOfMs;

    /// <summary>How many mappings the index holds.</summary>
    public long Count { get; private set; }

    /// <summary>The 128-bit index key of an identifier (a cryptographic hash: crafted identifiers cannot collide).</summary>
    public static UInt128 Key(string sii)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(sii.Length);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(sii, utf8)], hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>The indexed mappings of an identifier (active when indexed; the caller checks expiry).</summary>
    public IndexedMappings Find(string sii) => new(_bySii.GetValueOrDefault(Key(sii)));

    /// <summary>The mapping assertion exactly as stored (or as signed on first use), rebuilt from the mapping and its identifier.</summary>
    public string Assertion(IndexedMapping mapping, string sii) => mapping.HeaderId switch
    {
        FullToken => mapping.Uncommon!.Assertion!,
        SignedOnFirstUse => SignFirstUse(mapping, sii),
        var header => MappingAssertionSigner.Assemble(_headers[header], signer.Issuer, Claims(sii, mapping), mapping.Signature),
    };

    /// <summary>
    /// Applies every change committed before this call; concurrent callers share one pass. A writer calls it after its
    /// commit, so its own change holds for its next lookup on this replica.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        var ticket = Interlocked.Increment(ref _requested);
        await _gate.WaitAsync(ct);
        try
        {
            if (Volatile.Read(ref _completed) >= ticket)
            {
                return;
            }

            // Every request up to here was made after its writer committed: this pass sees all of them.
            var covered = Volatile.Read(ref _requested);
            await PollAsync(ct);
            Volatile.Write(ref _completed, covered);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// As <see cref="CatchUpAsync"/> after a committed write, then announces the change to the other replicas. A storage
    /// failure is logged, and the next poll applies the change.
    /// </summary>
    public async Task CatchUpAfterWriteAsync(CancellationToken ct)
    {
        if (await TryCatchUpAsync(ct))
        {
            await signal.PublishAsync(Position);
        }
    }

    /// <summary><see cref="CatchUpAsync"/>, false with the failure logged when storage fails (the next poll applies the change).</summary>
    public async Task<bool> TryCatchUpAsync(CancellationToken ct)
    {
        try
        {
            await CatchUpAsync(ct);
            return true;
        }
        catch (StorageException e)
        {
            LogRefreshFailed(logger, e);
            return false;
        }
    }

    /// <summary>
    /// How long the index has gone without a successful catch-up: time since the start of the last load or poll that
    /// succeeded (at most about one refresh interval while healthy; it grows while the database cannot be read).
    /// </summary>
    public TimeSpan Lag(DateTimeOffset now)
    {
        var since = Interlocked.Read(ref _currentAsOfMs);
        return since == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, now.ToUnixTimeMilliseconds() - since));
    }

    /// <summary>The change sequence the index has applied up to.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>Sweeps expired mappings when the last sweep is older than the sweep interval.</summary>
    public Task SweepIfDueAsync(CancellationToken ct) => time.GetUtcNow() - _lastSweep > SweepInterval ? SweepAsync(ct) : Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    /// <summary>Loads every active mapping (start-up): lookups are answered from memory from then on.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var started = time.GetTimestamp();
            var asOf = time.GetUtcNow().ToUnixTimeMilliseconds();
            // The sequence first: whatever commits during the load is read again by the first poll (applying a row twice is harmless).
            var sequence = await store.GetChangeSequenceAsync(ct);
            var map = new ConcurrentDictionary<UInt128, object>();
            Count = 0;
            await store.ReadActiveMappingsAsync(time.GetUtcNow(), row => Apply(map, row), ct);
            _bySii = map;
            (_position, _positionSerial) = (sequence, null);
            Interlocked.Exchange(ref _currentAsOfMs, asOf);
            _lastSweep = time.GetUtcNow();
            // Loading churns through every row's full token; give that memory back before serving, once.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            LogLoaded(logger, Count, time.GetElapsedTime(started).TotalSeconds, sequence);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        var asOf = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var page = await store.ListChangesAsync(_position, _positionSerial, PageSize, ct);
            foreach (var row in page)
            {
                Apply(_bySii, row);
            }

            if (page.Count > 0)
            {
                (_position, _positionSerial) = (page[^1].ChangeSequence, page[^1].Serial);
            }

            if (page.Count < PageSize)
            {
                Interlocked.Exchange(ref _currentAsOfMs, asOf);
                return;
            }
        }
    }

    /// <summary>Drops expired mappings (they are never answered; this only returns their memory).</summary>
    private async Task SweepAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (key, value) in _bySii)
            {
                var mappings = value is IndexedMapping one ? [one] : (IndexedMapping[])value;
                if (Array.Exists(mappings, m => m.NotAfterMs <= now))
                {
                    Store(_bySii, key, mappings.Where(m => m.NotAfterMs > now).ToArray(), mappings.Length);
                }
            }

            _lastSweep = time.GetUtcNow();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replaces whatever the index holds for the row's serial with the row (or drops it when no longer active).</summary>
    private void Apply(ConcurrentDictionary<UInt128, object> map, MappingRow row)
    {
        var key = Key(row.Sii);
        var current = map.TryGetValue(key, out var found) ? found is IndexedMapping one ? [one] : (IndexedMapping[])found : [];
        var next = new List<IndexedMapping>(current.Length + 1);
        foreach (var mapping in current)
        {
            if (mapping.Serial != row.Serial)
            {
                next.Add(mapping);
            }
        }

        if (row.IsActive && row.NotAfter > time.GetUtcNow())
        {
            next.Add(Compact(row));
        }

        Store(map, key, next.ToArray(), current.Length);
    }

    private void Store(ConcurrentDictionary<UInt128, object> map, UInt128 key, IndexedMapping[] mappings, int before)
    {
        Count += mappings.Length - before;
        if (mappings.Length == 0)
        {
            map.TryRemove(key, out _);
        }
        else
        {
            map[key] = mappings.Length == 1 ? mappings[0] : mappings;
        }
    }

    private IndexedMapping Compact(MappingRow row)
    {
        var serialBits = row.Serial.Length == 32 && UInt128.TryParse(row.Serial, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits)
                         && bits.ToString("x32", CultureInfo.InvariantCulture) == row.Serial
            ? bits
            : (UInt128?)null;
        var tags = Intern(row.Tags);
        var createdAtMs = row.CreatedAt.ToUnixTimeMilliseconds();
        var notAfterMs = row.NotAfter.ToUnixTimeMilliseconds();
        var indexed = row.VrfKeyId is not null && row.LogOpening is { Length: TransparencyParts.OpeningLength }
            && row.VrfProof is null or { Length: TransparencyParts.ProofLength };

        // Keep only the signature when the token rebuilds exactly (same header, issuer and claims as signed).
        var parts = row.Assertion.Split('.');
        Span<byte> signature = stackalloc byte[Es256Signature.Length];
        var unsigned = row.Assertion.Length == 0;
        var compact = !unsigned && parts.Length == 3 && (!indexed || row.VrfProof is not null)
            && System.Buffers.Text.Base64Url.TryDecodeFromChars(parts[2], signature, out var written) && written == Es256Signature.Length
            && MappingAssertionSigner.Assemble(parts[0], signer.Issuer,
                Claims(row.Sii, row.Ssi, row.Provider, tags, createdAtMs, notAfterMs, row.LogIndex, row.Serial,
                    indexed ? new AssertionTransparency(Log.IndexedLogEntries.AttestationName(row.Attestation), row.VrfKeyId!, row.VrfProof!, row.LogOpening!) : null),
                signature) == row.Assertion;
        var header = unsigned ? SignedOnFirstUse : compact ? HeaderId(parts[0]) : null;
        var mapping = new IndexedMapping
        {
            Provider = Intern(row.Provider),
            Ssi = row.Ssi,
            Tags = tags,
            AllowedProviders = Intern(row.AllowedProviders),
            Discoverability = row.Discoverability,
            LogIndex = row.LogIndex,
            CreatedAtMs = createdAtMs,
            NotAfterMs = notAfterMs,
            SerialBits = serialBits ?? default,
            HeaderId = header ?? FullToken,
            Attestation = row.Attestation,
            VrfKeyId = indexed ? Intern(row.VrfKeyId!) : null,
            HasProof = indexed && row.VrfProof is not null,
            Uncommon = header is null ? new UncommonParts(serialBits is null ? row.Serial : null, row.Assertion)
                : serialBits is null ? new UncommonParts(row.Serial, null) : null,
        };
        if (compact && header is not null)
        {
            signature.CopyTo(mapping.Signature);
        }

        if (indexed)
        {
            row.VrfProof?.CopyTo(mapping.Transparency[..TransparencyParts.ProofLength]);
            row.LogOpening.CopyTo(mapping.Transparency[TransparencyParts.ProofLength..]);
        }

        return mapping;
    }

    /// <summary>
    /// Signs the assertion of a bulk-imported mapping on its first hit, proving its identifier index first, and keeps the
    /// signature and the proof for later hits.
    /// </summary>
    private string SignFirstUse(IndexedMapping mapping, string sii)
    {
        lock (mapping)
        {
            if (mapping.HeaderId != SignedOnFirstUse)
            {
                return Assertion(mapping, sii);
            }

            if (mapping.VrfKeyId is { } kid && !mapping.HasProof)
            {
                mapping.Proved(proofs.Prove(kid, sii));
            }

            var token = signer.Sign(Claims(sii, mapping));
            var parts = token.Split('.');
            Span<byte> signature = stackalloc byte[Es256Signature.Length];
            if (System.Buffers.Text.Base64Url.TryDecodeFromChars(parts[2], signature, out var written) && written == Es256Signature.Length
                && HeaderId(parts[0]) is { } header)
            {
                mapping.Signed(header, signature);
            }

            return token;
        }
    }

    private ushort? HeaderId(string encodedHeader)
    {
        lock (_headerLock)
        {
            var headers = _headers;
            var id = Array.IndexOf(headers, encodedHeader);
            if (id < 0 && headers.Length < SignedOnFirstUse)
            {
                _headers = [.. headers, encodedHeader];
                id = headers.Length;
            }

            return id < 0 ? null : (ushort)id;
        }
    }

    private static MappingAssertionClaims Claims(string sii, string ssi, string provider, string[] tags, long createdAtMs, long notAfterMs,
        long logIndex, string serial, AssertionTransparency? transparency) => new(sii, ssi, provider, tags, DateTimeOffset.FromUnixTimeMilliseconds(createdAtMs),
        DateTimeOffset.FromUnixTimeMilliseconds(notAfterMs), logIndex, serial, transparency);

    private static MappingAssertionClaims Claims(string sii, IndexedMapping m) => Claims(sii, m.Ssi, m.Provider, m.Tags, m.CreatedAtMs, m.NotAfterMs,
        m.LogIndex, m.Serial, m.VrfKeyId is { } kid
            ? new AssertionTransparency(Log.IndexedLogEntries.AttestationName(m.Attestation), kid,
                m.Transparency[..TransparencyParts.ProofLength].ToArray(), m.Transparency[TransparencyParts.ProofLength..].ToArray())
            : null);

    private string Intern(string provider)
    {
        if (!_providers.TryGetValue(provider, out var interned))
        {
            _providers[provider] = interned = provider;
        }

        return interned;
    }

    private string[] Intern(IReadOnlyList<string> list)
    {
        var array = list as string[] ?? [.. list];
        if (!_lists.TryGetValue(array, out var interned))
        {
            _lists[array] = interned = array;
        }

        return interned;
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Lookup index loaded: {Count} mappings in {Seconds:F1} s (change sequence {Sequence})")]
    private static partial void LogLoaded(ILogger logger, long count, double seconds, long sequence);

    [LoggerMessage(EventId = 1802, Message = "Lookup index refresh failed ({Kind}); answering from the last state until the next poll")]
    private static partial void LogRefreshFailed(ILogger logger, LogLevel level, StorageErrorKind kind);

    // Polls fail every half second during an outage, which storage logs once: each failure only at Debug.
    internal static void LogRefreshFailed(ILogger logger, StorageException e) =>
        LogRefreshFailed(logger, StorageHealth.RetryLogLevel(e, LogLevel.Warning), e.Kind);

    /// <summary>Equal lists (tags, allowed providers) share one array.</summary>
    private sealed class ListComparer : IEqualityComparer<string[]>
    {
        public static readonly ListComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x.AsSpan().SequenceEqual(y.AsSpan());

        public int GetHashCode(string[] list)
        {
            var hash = new HashCode();
            foreach (var item in list)
            {
                hash.Add(item, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
