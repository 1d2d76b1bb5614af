using System.Diagnostics.Metrics;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Server.Log;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// The authority's instruments (meter <c>Mimi.Discovery.Authority</c>): one-time codes sent and failed per gateway,
/// credentials issued and revoked per attestation, and import rows accepted and rejected per importing provider.
/// </summary>
internal sealed class AuthorityMetrics
{
    public const string MeterName = "Mimi.Discovery.Authority";

    private readonly Counter<long> _challenges;
    private readonly Counter<long> _issuances;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _importRows;

    public AuthorityMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _challenges = meter.CreateCounter<long>("mimi.authority.challenges", "{challenge}", "One-time codes handed to the gateway, by gateway and outcome.");
        _issuances = meter.CreateCounter<long>("mimi.authority.issuances", "{credential}", "Credentials issued (one by one and by import), by attestation.");
        _revocations = meter.CreateCounter<long>("mimi.authority.revocations", "{credential}", "Credentials revoked, by attestation and by whom.");
        _importRows = meter.CreateCounter<long>("mimi.import.rows", "{row}", "Bulk import rows accepted (issued and logged) and rejected, per importing provider.");
    }

    public void Challenge(GatewayKind gateway, bool sent) =>
        _challenges.Add(1, new KeyValuePair<string, object?>("mimi.gateway", gateway == GatewayKind.Http ? "http" : "development-log"),
            new KeyValuePair<string, object?>("mimi.challenge.outcome", sent ? "sent" : "failed"));

    public void Issued(Attestation attestation, long count = 1) =>
        _issuances.Add(count, new KeyValuePair<string, object?>("mimi.attestation", IndexedLogEntries.AttestationName(attestation)));

    public void Revoked(Attestation attestation, bool byOperator) =>
        _revocations.Add(1, new KeyValuePair<string, object?>("mimi.attestation", IndexedLogEntries.AttestationName(attestation)),
            new KeyValuePair<string, object?>("mimi.revoked_by", byOperator ? "operator" : "provider"));

    public void Imported(string provider, long accepted, long rejected)
    {
        if (accepted > 0)
        {
            _importRows.Add(accepted, new KeyValuePair<string, object?>("mimi.import.outcome", "accepted"), new KeyValuePair<string, object?>("mimi.requester", provider));
            Issued(Attestation.Provider, accepted);
        }

        if (rejected > 0)
        {
            _importRows.Add(rejected, new KeyValuePair<string, object?>("mimi.import.outcome", "rejected"), new KeyValuePair<string, object?>("mimi.requester", provider));
        }
    }
}
