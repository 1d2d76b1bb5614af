using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Authentication;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// Plain lookups: every mapping of each identifier that the requester may see, with its assertion and keyMaterial
/// URL, answered from the in-memory <see cref="MappingIndex"/> (no database round trip). Unknown, removed and hidden
/// identifiers take the same path (one hash, one probe, nothing visible) and give the same answer. The requester pays
/// only for identifiers new to it in the window; hits on an owner's users also count against that owner's quotas,
/// all or nothing. Which identifiers are new, what each quota owes, the charge and remembering the new ones are one
/// limiter decision: one round trip when the counters live in Redis.
/// </summary>
internal sealed class LookupService(
    MappingIndex index,
    ClientDirectory directory,
    AnsweredIdentifiers answered,
    KeyedRateLimiter limiter,
    IOptions<LookupOptions> options,
    LookupMetrics metrics,
    TimeProvider time)
{
    public const string None = "none";
    public const string NoProviders = "no-providers";
    public const string Found = "found";

    private static readonly int[] RequesterOnly = [0];

    public async Task<LookupAnswer> LookupAsync(string requester, IReadOnlyList<Sii> identifiers, CancellationToken ct)
    {
        var o = options.Value;
        var values = Distinct(identifiers);
        var now = time.GetUtcNow();
        var results = new LookupResultView[values.Length];
        var found = false;
        var items = new RateLimitItem[values.Length];
        // Partition 0 is the requester's quota, charged by every new identifier; then each owner's quotas, in the order met.
        var partitions = new List<RateLimitRequest> { new("lookup:" + requester, new RateLimitPolicy(o.LookupsPerRequester, o.Window), 0) };
        Dictionary<string, int[]>? ownerPartitions = null;
        for (var i = 0; i < values.Length; i++)
        {
            var visible = MappingVisibility.Visible(index.Find(values[i]), requester, now);
            var mappings = new List<LookupMappingView>(visible.Count);
            var charges = RequesterOnly;
            foreach (var m in visible)
            {
                if (directory.Find(m.Provider) is not { Active: true } owner)
                {
                    continue;
                }

                mappings.Add(new LookupMappingView(m.Ssi, m.Provider, m.Tags, index.Assertion(m, values[i]),
                    MappingVisibility.KeyMaterialUrl(owner, m.Ssi), m.Serial, m.NotAfter));
                ownerPartitions ??= new(StringComparer.Ordinal);
                if (!ownerPartitions.TryGetValue(m.Provider, out var quotas))
                {
                    quotas = OwnerPartitions(owner, requester, o, partitions);
                    ownerPartitions[m.Provider] = quotas;
                }

                // Visible keeps one mapping per provider: a hit counts once against each owner.
                if (quotas.Length > 0)
                {
                    charges = [.. charges, .. quotas];
                }
            }

            var status = visible.Count == 0 ? None : mappings.Count == 0 ? NoProviders : Found;
            found |= mappings.Count > 0;
            results[i] = new LookupResultView(values[i], status, [.. mappings]);
            items[i] = new RateLimitItem(answered.Hash(requester, values[i]), charges);
        }

        var seen = answered.Set(requester, out var lifetime);
        var decision = await limiter.AcquireNewAsync(seen, lifetime, partitions.ToArray(), items, ct);
        metrics.PlainLookup(requester, decision, found);
        return decision.IsAllowed ? new LookupAnswer(results, decision) : new LookupAnswer([], decision);
    }

    /// <summary>Adds the owner's lookup quotas in force (its own, else the operator's defaults) and returns their indexes.</summary>
    private static int[] OwnerPartitions(ClientEntry owner, string requester, LookupOptions o, List<RateLimitRequest> partitions)
    {
        var quota = owner.Quota;
        var window = quota?.Window ?? o.Window;
        var start = partitions.Count;
        if ((quota?.LookupsPerRequester ?? o.OwnerLookupsPerRequester) is { } perRequester)
        {
            partitions.Add(new($"owner-lookups:{owner.Id}:{requester}", new RateLimitPolicy(perRequester, window), 0));
        }

        if ((quota?.LookupsTotal ?? o.OwnerLookupsTotal) is { } total)
        {
            partitions.Add(new($"owner-lookups-total:{owner.Id}", new RateLimitPolicy(total, window), 0));
        }

        return partitions.Count == start ? [] : [.. Enumerable.Range(start, partitions.Count - start)];
    }

    private static string[] Distinct(IReadOnlyList<Sii> identifiers)
    {
        if (identifiers.Count == 1)
        {
            return [identifiers[0].Value];
        }

        var seen = new HashSet<string>(identifiers.Count, StringComparer.Ordinal);
        var values = new List<string>(identifiers.Count);
        foreach (var sii in identifiers)
        {
            if (seen.Add(sii.Value))
            {
                values.Add(sii.Value);
            }
        }

        return [.. values];
    }
}
