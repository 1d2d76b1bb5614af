using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority.ProofOfControl;

/// <summary>
/// Proof of control by one-time code (R1: only the recipient authorizes a mapping). Codes are random, stored only
/// as an HMAC under a service key, expire, allow a bounded number of attempts, and are sent at a bounded rate per
/// identifier and per provider.
/// </summary>
internal sealed class ChallengeService(
    ChallengeStore store,
    IOneTimeCodeGateway gateway,
    ServiceKeys keys,
    IOptions<ProofOfControlOptions> options,
    AuthorityMetrics metrics,
    TimeProvider time)
{
    public async Task<ChallengeResult> CreateAsync(string provider, Sii sii, Ssi ssi, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var (forIdentifier, byProvider) = await store.CountSinceAsync(sii.Value, provider, now - o.SendWindow, ct);
        if (forIdentifier >= o.SendsPerIdentifier)
        {
            return new ChallengeResult(ChallengeOutcome.IdentifierLimited, null, default, o.SendWindow,
                $"At most {o.SendsPerIdentifier} codes per identifier per {o.SendWindow}.");
        }

        if (byProvider >= o.SendsPerProvider)
        {
            return new ChallengeResult(ChallengeOutcome.ProviderLimited, null, default, o.SendWindow,
                $"At most {o.SendsPerProvider} codes per provider per {o.SendWindow}.");
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var code = RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, o.CodeLength)).ToString(new string('0', o.CodeLength), System.Globalization.CultureInfo.InvariantCulture);
        var expiresAt = now + o.CodeLifetime;
        await store.InsertAsync(new ChallengeRecord(id, provider, sii.Value, ssi.Value, Hash(id, code), now, expiresAt, 0, ChallengeState.Pending), ct);

        var sent = await gateway.SendAsync(new OneTimeCodeMessage(id, sii.Value, Channel(sii), code, expiresAt), ct);
        metrics.Challenge(o.Gateway, sent.Sent);
        if (!sent.Sent)
        {
            // An undelivered code is useless; forget it so it neither counts nor lingers.
            await store.DeleteAsync(id, CancellationToken.None);
            return new ChallengeResult(ChallengeOutcome.GatewayFailed, null, default, TimeSpan.Zero, sent.Detail);
        }

        return new ChallengeResult(ChallengeOutcome.Sent, id, expiresAt, TimeSpan.Zero, Channel(sii));
    }

    /// <summary>Checks a code; on success the challenge is consumed. The failure text never says which part was wrong beyond what the caller already knows.</summary>
    public async Task<(bool Ok, string Detail)> VerifyAsync(string provider, string challengeId, string code, Sii sii, Ssi ssi, CancellationToken ct)
    {
        var o = options.Value;
        var challenge = await store.BeginAttemptAsync(challengeId, o.MaxAttempts, ct);
        if (challenge is null || challenge.Provider != provider)
        {
            return (false, "The challenge is unknown, already used, or out of attempts.");
        }

        if (challenge.ExpiresAt <= time.GetUtcNow())
        {
            return (false, "The code has expired; request a new one.");
        }

        if (challenge.Sii != sii.Value || challenge.Ssi != ssi.Value)
        {
            return (false, "The challenge was issued for a different identifier or user.");
        }

        if (!CryptographicOperations.FixedTimeEquals(challenge.CodeHash, Hash(challengeId, code)))
        {
            var left = o.MaxAttempts - challenge.Attempts;
            return (false, left > 0 ? $"Wrong code; {left} attempt(s) left." : "Wrong code; no attempts left.");
        }

        return await store.ConsumeAsync(challengeId, time.GetUtcNow(), ct) ? (true, "") : (false, "The challenge was used by a concurrent request.");
    }

    private byte[] Hash(string challengeId, string code) =>
        HMACSHA256.HashData(keys.CodeHashKey, Encoding.UTF8.GetBytes(challengeId + "\0" + code));

    private static string Channel(Sii sii) => sii.Kind switch
    {
        SiiKind.Tel => "sms",
        SiiKind.Mailto => "email",
        _ => "im",
    };
}
