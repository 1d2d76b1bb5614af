using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Log.Openings;

/// <summary>
/// Who may learn an identifier's index and open its entries: a provider holding a live credential for it (not revoked,
/// not expired), or one that proved control of it by a one-time code within <see cref="ProofOfControlOptions.ProvenControlWindow"/>.
/// Anyone else learns nothing, not even whether the identifier is known.
/// </summary>
internal sealed class EntryAccess(CredentialStore credentials, ChallengeStore challenges, TimeProvider time)
{
    /// <summary>The identifiers among <paramref name="siis"/> that <paramref name="provider"/> may see: two queries for the batch.</summary>
    public async Task<IReadOnlySet<string>> AllowedAsync(string provider, IReadOnlyCollection<string> siis, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var held = await credentials.ListHeldAsync(provider, siis, now, ct);
        if (held.Count == siis.Count)
        {
            return held;
        }

        var proven = await challenges.ListProvenSinceAsync(provider, siis.Where(s => !held.Contains(s)).ToList(), now - ProofOfControlOptions.ProvenControlWindow, ct);
        return proven.Count == 0 ? held : new HashSet<string>(held.Concat(proven), StringComparer.Ordinal);
    }
}
