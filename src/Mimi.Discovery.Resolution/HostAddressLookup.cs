using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// A and AAAA lookups through the configured name servers, cached within their TTLs (negative answers too). The
/// additional section of an SRV answer is used when it already holds a target's addresses.
/// </summary>
internal sealed class HostAddressLookup
{
    private readonly ProviderResolverOptions _options;
    private readonly DnsLookup _dns;
    private readonly TtlCache<HostAddresses> _cache;

    public HostAddressLookup(ProviderResolverOptions options, DnsLookup dns, TimeProvider time)
    {
        _options = options;
        _dns = dns;
        _cache = new TtlCache<HostAddresses>(time, options.MaxCacheEntries);
    }

    /// <summary>The addresses of <paramref name="host"/> (a literal stands for itself), for the guarded HTTP handler.</summary>
    public async ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        var lookup = await LookupAsync(DomainName.FromDns(host), null, cancellationToken);
        return lookup.Addresses;
    }

    /// <summary>The addresses of <paramref name="host"/>, taken from <paramref name="srvResponse"/> when it holds them.</summary>
    public async Task<HostAddresses> LookupAsync(string host, IDnsQueryResponse? srvResponse, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return new HostAddresses([literal], _options.MaxPositiveTtl, false, "address literal");
        }

        if (srvResponse is not null)
        {
            var fromAdditional = AddressRecords(srvResponse.Additionals, host);
            if (fromAdditional.Addresses.Count > 0)
            {
                var found = new HostAddresses(fromAdditional.Addresses, fromAdditional.Ttl, false, "from the additional section");
                _cache.Set(host, found, found.Ttl);
                return found;
            }
        }

        if (_cache.TryGet(host, out var cached, out _))
        {
            return cached with { Detail = "host cache" };
        }

        var answers = await Task.WhenAll(
            _dns.QueryAsync(host, QueryType.A, cancellationToken),
            _dns.QueryAsync(host, QueryType.AAAA, cancellationToken));
        var addresses = new List<IPAddress>();
        var ttl = _options.MaxPositiveTtl;
        foreach (var answer in answers)
        {
            if (answer.Outcome == DnsOutcome.Answer)
            {
                var records = AddressRecords(answer.Response!.Answers, null);
                addresses.AddRange(records.Addresses);
                ttl = Durations.Min(ttl, records.Ttl);
            }
        }

        HostAddresses result;
        if (addresses.Count > 0)
        {
            result = new HostAddresses(addresses, Durations.Cap(ttl, _options.MaxPositiveTtl), false, "A/AAAA query");
        }
        else if (answers.Any(a => a.Outcome is DnsOutcome.Timeout))
        {
            return new HostAddresses([], TimeSpan.Zero, true, $"A/AAAA {host}: {answers.First(a => a.Outcome is DnsOutcome.Timeout).Detail}");
        }
        else if (answers.FirstOrDefault(a => a.Outcome is DnsOutcome.Failure) is { } failure)
        {
            return new HostAddresses([], TimeSpan.Zero, false, $"A/AAAA {host}: DNS error {failure.Detail}");
        }
        else
        {
            var negative = answers.Select(a => DnsLookup.NegativeTtl(a.Response)).FirstOrDefault(t => t is not null) ?? _options.NegativeTtlWithoutSoa;
            result = new HostAddresses([], Durations.Cap(negative, _options.NegativeTtlCap), false, $"A/AAAA {host}: {answers[0].Detail}/{answers[1].Detail}");
        }

        _cache.Set(host, result, result.Ttl);
        return result;
    }

    public void Clear() => _cache.Clear();

    private static (List<IPAddress> Addresses, TimeSpan Ttl) AddressRecords(IEnumerable<DnsResourceRecord> records, string? owner)
    {
        var addresses = new List<IPAddress>();
        var ttlSeconds = int.MaxValue;
        foreach (var record in records)
        {
            if (owner is not null && DomainName.FromDns(record.DomainName.Value) != owner)
            {
                continue;
            }

            IPAddress? address = record switch
            {
                ARecord a => a.Address,
                AaaaRecord aaaa => aaaa.Address,
                _ => null,
            };
            if (address is not null && !addresses.Contains(address))
            {
                addresses.Add(address);
                ttlSeconds = Math.Min(ttlSeconds, Math.Max(0, record.InitialTimeToLive));
            }
        }

        return (addresses, addresses.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(ttlSeconds));
    }
}
