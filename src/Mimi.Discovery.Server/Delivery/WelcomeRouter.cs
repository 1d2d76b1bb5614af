using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// Routes Welcomes by the KeyPackageRefs of their new members, through the claims recorded here, and decides whether a
/// local new member's Welcome is held in quarantine (a quarantine-mode user who has not accepted the requester).
/// </summary>
internal sealed class WelcomeRouter(KeyPackageStore store, IConsentGate consent, ClientDirectory clients)
{
    public async Task<IReadOnlyList<WelcomeRoute>> RouteAsync(string roomId, MlsWelcome welcome, CancellationToken ct)
    {
        var refs = welcome.Secrets.Select(s => s.NewMember.ToHex()).Distinct(StringComparer.Ordinal).ToList();
        var claims = await store.FindClaimsAsync(refs, ct);
        var routes = new List<WelcomeRoute>();
        foreach (var kpRef in refs)
        {
            // A last-resort KeyPackage may have been claimed several times: prefer the claim for this room.
            var claim = claims.Where(c => c.Ref == kpRef).OrderByDescending(c => c.RoomId == roomId).FirstOrDefault();
            if (claim is not null && Ssi.TryParse(claim.ClientUri, out var client, out _) && client.Kind == SsiKind.Client)
            {
                routes.Add(new WelcomeRoute(claim.ClientUri, client.Domain, claim.RequesterUser));
            }
        }

        return routes;
    }

    public async Task<InboxDelivery> DeliveryAsync(WelcomeRoute route, string roomId, byte[] welcome, byte[]? tree, CancellationToken ct)
    {
        var target = clients.Find(route.ClientUri)?.UserUri;
        var hold = false;
        if (target is not null)
        {
            var decision = await consent.CheckClaimAsync(route.RequesterUser, target, roomId, ct);
            hold = decision == ConsentDecision.Quarantined && !await consent.IsAcceptedAsync(target, route.RequesterUser, ct);
        }

        return new InboxDelivery(route.ClientUri, InboxKind.Welcome, roomId, welcome, InboxTree(tree), hold, target, route.RequesterUser);
    }

    /// <summary>The ratchet tree as clients load it: the <c>ratchet_tree</c> extension data (the node vector with its length).</summary>
    internal static byte[]? InboxTree(byte[]? contents) => contents is null ? null : MlsRatchetTree.ExtensionData(contents);
}
