using System.Diagnostics.Metrics;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The delivery core's instruments (meter <c>Mimi.Discovery.Delivery</c>): commits and proposals the hub refused by
/// the MLS check that failed, what this provider refused as a follower, franks issued, and abuse reports whose frank
/// does not verify. Checks are a fixed list of names (<see cref="Protocol.MlsGroupChecks.Name"/>).
/// </summary>
internal sealed class DeliveryMetrics
{
    public const string MeterName = "Mimi.Discovery.Delivery";

    private readonly Counter<long> _commitsRefused;
    private readonly Counter<long> _proposalsRefused;
    private readonly Counter<long> _followerRefusals;
    private readonly Counter<long> _franks;
    private readonly Counter<long> _invalidFranks;

    public DeliveryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _commitsRefused = meter.CreateCounter<long>("mimi.delivery.commits.refused", "{commit}", "Commits the hub refused, by the MLS check that failed.");
        _proposalsRefused = meter.CreateCounter<long>("mimi.delivery.proposals.refused", "{proposal}", "Proposals the hub refused, by the MLS check that failed.");
        _followerRefusals = meter.CreateCounter<long>("mimi.delivery.follower.refusals", "{message}",
            "Room state or fan-out from a hub that this provider, as a follower, refused, by the check that failed.");
        _franks = meter.CreateCounter<long>("mimi.delivery.franks.issued", "{frank}", "Server franks the hub issued on accepted application messages.");
        _invalidFranks = meter.CreateCounter<long>("mimi.delivery.abuse_reports.invalid_frank", "{report}", "Abuse reports refused because a reported message's frank does not verify.");
    }

    public void HubRefused(bool commit, string check) =>
        (commit ? _commitsRefused : _proposalsRefused).Add(1, new KeyValuePair<string, object?>("mimi.mls.check", check));

    public void FollowerRefused(string check) => _followerRefusals.Add(1, new KeyValuePair<string, object?>("mimi.mls.check", check));

    public void FrankIssued() => _franks.Add(1);

    public void InvalidFrank() => _invalidFranks.Add(1);
}
