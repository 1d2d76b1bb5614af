using System.Text;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// KeyPackages of this provider's clients: upload (validated per RFC 9420 §10.1, the credential naming the uploading
/// client), and claims by requesters, gated by consent and the owner's claim quotas (per requester provider and in
/// total).
/// </summary>
internal sealed partial class KeyPackages(
    KeyPackageStore store, KeyedRateLimiter limiter, IConsentGate consent, HostedUserStore users, IOptions<DeliveryOptions> options, TimeProvider time,
    ILogger<KeyPackages> logger)
{
    private readonly KeyPackageValidator _validator = new(new KeyPackageValidatorOptions { MaximumLifetime = options.Value.MaxKeyPackageLifetime }, time);

    /// <summary>Validates every KeyPackage, then stores them all (or none, when one is refused).</summary>
    public async Task<(int Added, KeyPackageRefusal? Refusal)> UploadAsync(string clientUri, IReadOnlyList<byte[]> messages, CancellationToken ct)
    {
        var identity = Encoding.UTF8.GetBytes(clientUri);
        var valid = new List<NewKeyPackage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var result = _validator.ValidateMessage(messages[i], identity);
            if (!result.IsValid)
            {
                return (0, new KeyPackageRefusal(i, result.Problem, result.Message));
            }

            var keyPackage = result.KeyPackage!;
            if (!keyPackage.TryComputeRef(out var kpRef) || keyPackage.LeafNode.NotAfter is not { } notAfter)
            {
                return (0, new KeyPackageRefusal(i, KeyPackageProblem.Malformed, "The KeyPackage has no reference hash or lifetime."));
            }

            valid.Add(new NewKeyPackage(kpRef.ToHex(), clientUri, (ushort)keyPackage.CipherSuite, messages[i], result.IsLastResort,
                DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(notAfter, (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds()))));
        }

        var added = await store.AddKeyPackagesAsync(valid, time.GetUtcNow(), ct);
        LogUploaded(logger, clientUri, added, valid.Count(v => v.LastResort));
        return (added, null);
    }

    /// <summary>
    /// Claims <paramref name="request"/>'s target's KeyPackages for <paramref name="requesterDomain"/>: quotas first
    /// (a refused request claims nothing), then consent (no consent and unknown users answer alike), then one
    /// KeyPackage per client.
    /// </summary>
    public async Task<ClaimOutcome> ClaimAsync(string requesterDomain, KeyMaterialRequest request, CancellationToken ct)
    {
        var o = options.Value.KeyPackageClaims;
        ReadOnlyMemory<RateLimitRequest> quotas = new[]
        {
            new RateLimitRequest("kp-claims:" + requesterDomain, new RateLimitPolicy(o.PerRequester, o.Window)),
            new RateLimitRequest("kp-claims:*", new RateLimitPolicy(o.Total, o.Window)),
        };
        var decision = await limiter.AcquireAsync(quotas, ct);
        if (!decision.IsAllowed)
        {
            LogOverQuota(logger, requesterDomain, request.TargetUser);
            return new ClaimOutcome(null, decision);
        }

        var user = await users.FindUserAsync(request.TargetUser, ct);
        var verdict = user is null ? ConsentDecision.NoConsent
            : await consent.CheckClaimAsync(request.RequestingUser, request.TargetUser, request.RoomId.Length == 0 ? null : request.RoomId, ct);
        var refused = verdict switch
        {
            ConsentDecision.NoConsent => KeyMaterialUserCode.NoConsent,
            ConsentDecision.ConsentNotForRoom => KeyMaterialUserCode.NoConsentForThisRoom,
            _ => (KeyMaterialUserCode?)null,
        };
        if (refused is { } code)
        {
            return new ClaimOutcome(new KeyMaterialResponse(MimiProtocol.Mls10, code, request.TargetUser, default), decision);
        }

        var suites = request.AcceptableCipherSuites.Select(s => (ushort)s).ToHashSet();
        var claimed = await store.ClaimAsync(request.TargetUser, request.RequestingUser, request.RoomId, suites, time.GetUtcNow(), ct);
        var clients = new List<ClientKeyMaterial>(claimed.Count);
        foreach (var client in claimed)
        {
            clients.Add(client.Data is { } data && MlsMessage.TryDecode(data, out var message, out _) && message.KeyPackage is { } keyPackage
                ? ClientKeyMaterial.Claimed(client.ClientUri, keyPackage)
                : new ClientKeyMaterial(KeyMaterialClientCode.KeyMaterialExhausted, client.ClientUri, null, null));
        }

        var successes = clients.Count(c => c.ClientStatus == KeyMaterialClientCode.Success);
        var status = successes == clients.Count && successes > 0 ? KeyMaterialUserCode.Success
            : successes > 0 ? KeyMaterialUserCode.PartialSuccess
            : KeyMaterialUserCode.NoCompatibleMaterial;
        LogClaimed(logger, requesterDomain, request.TargetUser, successes, clients.Count);
        return new ClaimOutcome(new KeyMaterialResponse(MimiProtocol.Mls10, status, request.TargetUser, ValueArray.Create<ClientKeyMaterial>([.. clients])), decision);
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Debug, Message = "{Client} uploaded {Count} new KeyPackage(s), {LastResort} last-resort")]
    private static partial void LogUploaded(ILogger logger, string client, int count, int lastResort);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Debug, Message = "{Requester} claimed {Target}: {Claimed} of {Clients} client(s) had a KeyPackage")]
    private static partial void LogClaimed(ILogger logger, string requester, string target, int claimed, int clients);

    [LoggerMessage(EventId = 6022, Level = LogLevel.Information, Message = "KeyPackage claim by {Requester} for {Target} refused: over quota")]
    private static partial void LogOverQuota(ILogger logger, string requester, string target);
}
