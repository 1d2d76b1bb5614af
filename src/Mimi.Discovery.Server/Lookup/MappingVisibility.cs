using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>The one rule deciding whether a requester may see a mapping (plain and private lookups alike).</summary>
internal static class MappingVisibility
{
    public static bool IsVisibleTo(CredentialRecord mapping, string requester) =>
        IsVisibleTo(mapping.Discoverability, mapping.Provider, mapping.AllowedProviders, requester);

    public static bool IsVisibleTo(Discoverability mode, string owner, IReadOnlyList<string>? allowed, string requester) => mode switch
    {
        Discoverability.Everyone => true,
        Discoverability.SameProvider => owner == requester,
        Discoverability.ListedProviders => owner == requester || (allowed?.Contains(requester) ?? false),
        _ => false,
    };

    /// <summary>
    /// What a requester may see of one identifier's active mappings: the visible ones, newest first, keeping only the
    /// newest per provider (a re-verification by a new holder at a provider replaces the older holder there).
    /// </summary>
    public static List<CredentialRecord> Visible(IEnumerable<CredentialRecord> mappings, string requester)
    {
        var list = mappings.ToList();
        return Visible(list.Count, i => list[i], m => (m.Provider, m.LogIndex), m => IsVisibleTo(m, requester));
    }

    /// <summary>The same rule over the in-memory index, skipping mappings expired at <paramref name="now"/>.</summary>
    public static List<IndexedMapping> Visible(IndexedMappings mappings, string requester, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        return Visible(mappings.Count, i => mappings[i], m => (m.Provider, m.NotAfterMs > nowMs ? m.LogIndex : long.MinValue),
            m => m.NotAfterMs > nowMs && IsVisibleTo(m.Discoverability, m.Provider, m.AllowedProviders, requester));
    }

    // The newest per provider is chosen among all active mappings before visibility, so hiding the newest never reveals an older one.
    private static List<T> Visible<T>(int count, Func<int, T> at, Func<T, (string Provider, long LogIndex)> facts, Func<T, bool> visible)
    {
        // Almost every identifier has one mapping or none: the same rule without the per-provider table.
        if (count <= 1)
        {
            var list = new List<T>(count);
            if (count == 1 && at(0) is var only && facts(only).LogIndex != long.MinValue && visible(only))
            {
                list.Add(only);
            }

            return list;
        }

        var newestPerProvider = new Dictionary<string, (T Mapping, long LogIndex)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var mapping = at(i);
            var (provider, logIndex) = facts(mapping);
            if (logIndex != long.MinValue && (!newestPerProvider.TryGetValue(provider, out var seen) || logIndex > seen.LogIndex))
            {
                newestPerProvider[provider] = (mapping, logIndex);
            }
        }

        return newestPerProvider.Values.Where(m => visible(m.Mapping)).OrderByDescending(m => m.LogIndex).Select(m => m.Mapping).ToList();
    }

    /// <summary>The owner's keyMaterial URL for a user, from the template its provider registered.</summary>
    public static string? KeyMaterialUrl(ClientEntry? owner, string ssi) =>
        owner?.KeyMaterialUrl?.Replace("{targetUser}", Uri.EscapeDataString(ssi), StringComparison.Ordinal);
}
