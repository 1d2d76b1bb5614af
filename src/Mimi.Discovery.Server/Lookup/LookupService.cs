using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Authentication;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>The answers, and the limiter's decision (when it denies, the answers are empty and must not be sent).</summary>
internal sealed record LookupAnswer(LookupResultView[] Results, RateLimitDecision Decision);

/// <summary>
/// Plain lookups: every mapping of each identifier that the requester may see, with its assertion and keyMaterial
/// URL, answered from the in-memory <see cref="MappingIndex"/> (no database round trip). Unknown, removed and hidden
/// identifiers take the same path (one hash, one probe, nothing visible) and give the same answer. The requester pays
/// only for identifiers new to it in the window; hits on an owner's users also count against that owner's quotas,
/// all or nothing.
/// </summary>
internal sealed class LookupService(
    MappingIndex index,
    ClientDirectory directory,
    AnsweredIdentifiers answered,
    KeyedRateLimiter limiter,
    IOptions<LookupOptions> options,
    TimeProvider time)
{
    public const string None = "none";
    public const string NoProviders = "no-providers";
    public const string Found = "found";

    public async Task<LookupAnswer> LookupAsync(string requester, IReadOnlyList<Sii> identifiers, CancellationToken ct)
    {
        var o = options.Value;
        var values = identifiers.Select(s => s.Value).Distinct(StringComparer.Ordinal).ToList();
        var hashes = values.Select(v => answered.Hash(requester, v)).ToList();
        // The counters are the only round trip; the mappings come from memory while it is under way.
        var knownTask = answered.AreKnownAsync(requester, hashes, ct).AsTask();
        var now = time.GetUtcNow();
        var results = new LookupResultView[values.Count];
        var reachableByIdentifier = new List<IndexedMapping>[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var visible = MappingVisibility.Visible(index.Find(values[i]), requester, now);
            var reachable = visible.Where(m => directory.Find(m.Provider) is { Active: true }).ToList();
            var status = visible.Count == 0 ? None : reachable.Count == 0 ? NoProviders : Found;
            reachableByIdentifier[i] = reachable;
            results[i] = new LookupResultView(values[i], status, reachable.Select(m => new LookupMappingView(m.Ssi, m.Provider, m.Tags, index.Assertion(m, values[i]),
                MappingVisibility.KeyMaterialUrl(directory.Find(m.Provider), m.Ssi), m.Serial, m.NotAfter)).ToArray());
        }

        var known = await knownTask;
        var ownerHits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var reachable = reachableByIdentifier[i];
            if (!known[i])
            {
                foreach (var owner in reachable.Select(m => m.Provider).Distinct(StringComparer.Ordinal))
                {
                    ownerHits[owner] = ownerHits.GetValueOrDefault(owner) + 1;
                }
            }
        }

        var fresh = known.Count(k => !k);
        var requests = new List<RateLimitRequest> { new("lookup:" + requester, new RateLimitPolicy(o.LookupsPerRequester, o.Window), fresh) };
        foreach (var (owner, hits) in ownerHits)
        {
            var quota = directory.Find(owner)?.Quota;
            var window = quota?.Window ?? o.Window;
            if ((quota?.LookupsPerRequester ?? o.OwnerLookupsPerRequester) is { } perRequester)
            {
                requests.Add(new($"owner-lookups:{owner}:{requester}", new RateLimitPolicy(perRequester, window), hits));
            }

            if ((quota?.LookupsTotal ?? o.OwnerLookupsTotal) is { } total)
            {
                requests.Add(new($"owner-lookups-total:{owner}", new RateLimitPolicy(total, window), hits));
            }
        }

        // A pure re-sync takes nothing from any quota.
        var decision = fresh == 0 ? new RateLimitDecision(true, RateLimitReason.WithinLimit, requests[0].Policy, 0, -1, TimeSpan.Zero, TimeSpan.Zero)
            : await AcquireAsync(requests, ct);
        if (!decision.IsAllowed)
        {
            return new LookupAnswer([], decision);
        }

        await answered.RememberAsync(requester, hashes.Where((_, i) => !known[i]).ToList(), ct);
        return new LookupAnswer(results, decision);
    }

    /// <summary>All or nothing within the limiter's per-call key limit; beyond it (many owners in one batch) in groups.</summary>
    private async Task<RateLimitDecision> AcquireAsync(List<RateLimitRequest> requests, CancellationToken ct)
    {
        RateLimitDecision first = default;
        for (var start = 0; start < requests.Count; start += KeyedRateLimiter.MaxKeysPerAcquisition)
        {
            var group = requests.Skip(start).Take(KeyedRateLimiter.MaxKeysPerAcquisition).ToArray();
            var decision = await limiter.AcquireAsync(group, ct);
            if (!decision.IsAllowed)
            {
                return decision;
            }

            first = start == 0 ? decision : first;
        }

        return first;
    }
}

internal sealed record LookupRequest(string[]? Identifiers);

internal sealed record LookupMappingView(string Ssi, string Provider, string[] Tags, string Assertion, string? KeyMaterial, string Serial, DateTimeOffset NotAfter);

internal sealed record LookupResultView(string Sii, string Status, LookupMappingView[] Mappings);

internal sealed record LookupResponse(LookupResultView[] Results);
