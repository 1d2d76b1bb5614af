using System.Net;
using DnsClient;
using Microsoft.Extensions.Logging;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// One uncached resolution of a provider domain: the <c>_mimi._tcp</c> SRV question (or, when there is no SRV record,
/// the domain itself on the fallback port), each target's addresses vetted by the <see cref="AddressGuard"/>, and how
/// long the answer may be cached.
/// </summary>
internal sealed class SrvResolver(ProviderResolverOptions options, DnsLookup dns, HostAddressLookup hosts, AddressGuard guard, ILogger logger)
{
    public async Task<ResolvedDomain> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        var srvName = ProviderResolver.ServicePrefix + name;
        var trail = new List<string>();
        var answer = await dns.QueryAsync(srvName, QueryType.SRV, cancellationToken);
        switch (answer.Outcome)
        {
            case DnsOutcome.Timeout:
                Log.DnsFailed(logger, srvName, "SRV", answer.Detail);
                trail.Add($"SRV {srvName}: {answer.Detail}");
                return ResolvedDomain.Failed(ResolutionStatus.Timeout, $"DNS timeout: SRV {srvName}: {answer.Detail}", trail);

            case DnsOutcome.Failure:
                Log.DnsFailed(logger, srvName, "SRV", answer.Detail);
                trail.Add($"SRV {srvName}: DNS error {answer.Detail}");
                return ResolvedDomain.Failed(ResolutionStatus.DnsFailure, $"DNS error: SRV {srvName}: {answer.Detail}", trail);

            case DnsOutcome.NameError:
            case DnsOutcome.NoData:
                return await FallbackAsync(name, srvName, answer, trail, cancellationToken);
        }

        var records = answer.Response!.Answers.SrvRecords().ToList();
        var srvTtl = TimeSpan.FromSeconds(records.Min(r => Math.Max(0, r.InitialTimeToLive)));
        trail.Add($"SRV {srvName}: {records.Count} record(s), TTL {Durations.Seconds(srvTtl)}: "
            + string.Join(", ", records.Select(r => $"{r.Priority} {r.Weight} {r.Port} {r.Target.Value}")));

        // RFC 2782: a single record with target "." means the service is decidedly not available.
        var real = records.Where(r => DomainName.FromDns(r.Target.Value).Length > 0).ToList();
        if (real.Count == 0)
        {
            trail.Add($"target \".\": the MIMI service is decidedly not available at {name} (RFC 2782)");
            return new ResolvedDomain(ResolutionStatus.NotAvailable, ResolutionSource.Srv, [], [], Durations.Cap(srvTtl, options.MaxPositiveTtl),
                $"{name} publishes SRV target \".\": MIMI is not available there", trail, Cacheable: true);
        }

        if (real.Count < records.Count)
        {
            trail.Add("ignored \".\" target(s) listed next to real ones");
        }

        var outcomes = await Task.WhenAll(real.Select(r =>
            BuildCandidateAsync(DomainName.FromDns(r.Target.Value), r.Port, r.Priority, r.Weight, answer.Response, cancellationToken)));
        return Combine(name, ResolutionSource.Srv, srvTtl, outcomes, trail);
    }

    private async Task<ResolvedDomain> FallbackAsync(string name, string srvName, DnsAnswer answer, List<string> trail, CancellationToken cancellationToken)
    {
        var negativeTtl = Durations.Cap(DnsLookup.NegativeTtl(answer.Response) ?? options.NegativeTtlWithoutSoa, options.NegativeTtlCap);
        trail.Add($"SRV {srvName}: none ({answer.Detail}, negative TTL {Durations.Seconds(negativeTtl)}); falling back to {name}:{options.FallbackPort}");
        var outcome = await BuildCandidateAsync(name, options.FallbackPort, 0, 0, null, cancellationToken);
        return Combine(name, ResolutionSource.Fallback, negativeTtl, [outcome], trail);
    }

    private ResolvedDomain Combine(string name, ResolutionSource source, TimeSpan dnsTtl, IReadOnlyList<CandidateOutcome> outcomes, List<string> trail)
    {
        var usable = new List<ResolutionCandidate>();
        var unusable = new List<UnusableTarget>();
        var ttl = dnsTtl;
        var timedOut = false;
        foreach (var outcome in outcomes)
        {
            trail.AddRange(outcome.Trail);
            ttl = Durations.Min(ttl, outcome.Ttl);
            timedOut |= outcome.TimedOut;
            if (outcome.Usable is not null)
            {
                usable.Add(outcome.Usable);
            }
            else if (outcome.Unusable is not null)
            {
                unusable.Add(outcome.Unusable);
            }
        }

        ttl = Durations.Cap(ttl, source == ResolutionSource.Srv ? options.MaxPositiveTtl : options.NegativeTtlCap);
        if (usable.Count > 0)
        {
            return new ResolvedDomain(ResolutionStatus.Resolved, source, usable, unusable, ttl, null, trail, Cacheable: true);
        }

        // A lookup that timed out says nothing definite: report it, but do not cache it.
        if (timedOut)
        {
            return new ResolvedDomain(ResolutionStatus.Timeout, source, [], unusable, TimeSpan.Zero,
                $"DNS timeout while looking up the addresses of {name}'s targets", trail, Cacheable: false);
        }

        var anyRefused = unusable.Any(u => u.Refused.Count > 0);
        var status = anyRefused ? ResolutionStatus.AddressRefused : ResolutionStatus.NoAddresses;
        var error = anyRefused
            ? $"every address of {name}'s targets is refused: " + string.Join("; ", unusable.SelectMany(u => u.Refused).Select(r => r.Reason))
            : $"none of {name}'s targets has an address";
        return new ResolvedDomain(status, source, [], unusable, ttl, error, trail, Cacheable: true);
    }

    private async Task<CandidateOutcome> BuildCandidateAsync(string target, int port, int priority, int weight, IDnsQueryResponse? srvResponse, CancellationToken cancellationToken)
    {
        var trail = new List<string>();
        var lookup = await hosts.LookupAsync(target, srvResponse, cancellationToken);
        trail.Add(lookup.Addresses.Count > 0
            ? $"{target}: {string.Join(", ", lookup.Addresses)} ({lookup.Detail}, TTL {Durations.Seconds(lookup.Ttl)})"
            : $"{target}: no address ({lookup.Detail})");

        var permitted = new List<IPAddress>();
        var refused = new List<RefusedAddress>();
        foreach (var address in lookup.Addresses)
        {
            var reason = guard.Check(address);
            if (reason is null)
            {
                permitted.Add(address);
            }
            else
            {
                refused.Add(new RefusedAddress(address, reason));
                Log.AddressRefused(logger, target, reason);
                trail.Add($"{target}: refused {reason}; allow it with AllowedAddressRanges");
            }
        }

        if (permitted.Count > 0)
        {
            return new CandidateOutcome(new ResolutionCandidate(target, port, priority, weight, permitted), null, lookup.Ttl, false, trail);
        }

        var reasonText = refused.Count > 0
            ? "every address refused"
            : lookup.TimedOut ? "address lookup timed out" : "no address";
        return new CandidateOutcome(null, new UnusableTarget(target, port, priority, weight, refused, reasonText), lookup.Ttl, lookup.TimedOut, trail);
    }
}
