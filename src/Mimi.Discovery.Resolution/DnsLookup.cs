using DnsClient;

namespace Mimi.Discovery.Resolution;

/// <summary>Asks the configured name servers through DnsClient, with its cache off (the resolver keeps its own).</summary>
internal sealed class DnsLookup
{
    private readonly LookupClient _client;

    public DnsLookup(ProviderResolverOptions options)
    {
        var lookupOptions = options.NameServers.Count > 0
            ? new LookupClientOptions([.. options.NameServers])
            : new LookupClientOptions();
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = options.DnsTimeout;
        lookupOptions.Retries = options.DnsRetries;
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.UseTcpFallback = true;
        // An NXDOMAIN from the first server is an answer, not a reason to ask the next one.
        lookupOptions.ContinueOnDnsError = false;
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseRandomNameServer = false;
        _client = new LookupClient(lookupOptions);
        Timeout = options.DnsTimeout * (options.DnsRetries + 1);
    }

    /// <summary>The longest a question may take against one server, retries included.</summary>
    public TimeSpan Timeout { get; }

    public async Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            // DnsClient reports the caller's cancellation as a timeout; the caller should see it as cancellation.
            cancellationToken.ThrowIfCancellationRequested();
            return new DnsAnswer(DnsOutcome.Timeout, null, $"no answer within {Timeout.TotalSeconds:0.###} s");
        }
        catch (DnsResponseException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new DnsAnswer(DnsOutcome.Failure, null, ex.Message);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            return new DnsAnswer(DnsOutcome.Failure, null, ex.Message);
        }

        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return new DnsAnswer(DnsOutcome.NameError, response, "NXDOMAIN");
        }

        if (response.HasError)
        {
            return new DnsAnswer(DnsOutcome.Failure, response, $"{response.Header.ResponseCode}: {response.ErrorMessage}");
        }

        var matching = response.Answers.Any(r => r.RecordType == (DnsClient.Protocol.ResourceRecordType)(int)type);
        return matching
            ? new DnsAnswer(DnsOutcome.Answer, response, "NOERROR")
            : new DnsAnswer(DnsOutcome.NoData, response, "NODATA");
    }

    /// <summary>RFC 2308 §5: a negative answer lives for the smaller of the SOA's TTL and its MINIMUM field.</summary>
    public static TimeSpan? NegativeTtl(IDnsQueryResponse? response)
    {
        var soa = response?.Authorities.SoaRecords().FirstOrDefault();
        if (soa is null)
        {
            return null;
        }

        var seconds = Math.Min((long)soa.InitialTimeToLive, (long)soa.Minimum);
        return TimeSpan.FromSeconds(Math.Max(0, seconds));
    }
}
