using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>The one rule deciding whether a requester may see a mapping (plain and private lookups alike).</summary>
internal static class MappingVisibility
{
    public static bool IsVisibleTo(CredentialRecord mapping, string requester) => mapping.Discoverability switch
    {
        Discoverability.Everyone => true,
        Discoverability.SameProvider => mapping.Provider == requester,
        Discoverability.ListedProviders => mapping.Provider == requester || (mapping.AllowedProviders?.Contains(requester) ?? false),
        _ => false,
    };

    /// <summary>
    /// What a requester may see of one identifier's active mappings: the visible ones, newest first, keeping only the
    /// newest per provider (a re-verification by a new holder at a provider replaces the older holder there).
    /// </summary>
    public static List<CredentialRecord> Visible(IEnumerable<CredentialRecord> mappings, string requester)
    {
        var newestPerProvider = new Dictionary<string, CredentialRecord>(StringComparer.Ordinal);
        foreach (var mapping in mappings)
        {
            if (!newestPerProvider.TryGetValue(mapping.Provider, out var seen) || mapping.LogIndex > seen.LogIndex)
            {
                newestPerProvider[mapping.Provider] = mapping;
            }
        }

        return newestPerProvider.Values.Where(m => IsVisibleTo(m, requester)).OrderByDescending(m => m.LogIndex).ToList();
    }

    /// <summary>The owner's keyMaterial URL for a user, from the template its provider registered.</summary>
    public static string? KeyMaterialUrl(ClientEntry? owner, string ssi) =>
        owner?.KeyMaterialUrl?.Replace("{targetUser}", Uri.EscapeDataString(ssi), StringComparison.Ordinal);
}
