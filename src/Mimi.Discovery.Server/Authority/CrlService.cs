using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// The intermediate's CRL. Rebuilt when the set of revoked serials changes (checked per request, so a revocation on
/// any replica shows at once) or when half its lifetime has passed; otherwise the signed bytes are reused.
/// </summary>
internal sealed class CrlService(CertificateAuthority ca, CredentialStore credentials, IOptions<AuthorityOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private (string Fingerprint, IssuedCrl Crl)? _current;

    public async Task<IssuedCrl> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var revoked = await credentials.ListRevokedAsync(now, ct);
        var fingerprint = string.Join(',', revoked.Select(r => r.Serial));
        var lifetime = options.Value.CrlLifetime;
        lock (_gate)
        {
            if (_current is { } c && c.Fingerprint == fingerprint && c.Crl.NextUpdate - now > lifetime / 2)
            {
                return c.Crl;
            }

            // The CRL number must grow across replicas without coordination: seconds since the epoch do.
            var crl = ca.CreateCrl(revoked.Select(r => new RevokedCredential(r.Serial, r.RevokedAt, ReasonOf(r.Reason))), now, now + lifetime,
                now.ToUnixTimeSeconds());
            _current = (fingerprint, crl);
            return crl;
        }
    }

    private static RevocationReason? ReasonOf(string reason) => reason switch
    {
        "keyCompromise" => RevocationReason.KeyCompromise,
        "superseded" => RevocationReason.Superseded,
        "cessationOfOperation" => RevocationReason.CessationOfOperation,
        "affiliationChanged" => RevocationReason.AffiliationChanged,
        _ => null,
    };
}
