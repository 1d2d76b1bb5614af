using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// Resolves a provider domain to the places its MIMI service runs: <c>_mimi._tcp.&lt;domain&gt;</c> SRV records
/// in RFC 2782 order (or the domain itself on port 443 when there are none), with addresses vetted by an
/// <see cref="AddressGuard"/>; then fetches and validates its <c>/.well-known/mimi-protocol-directory</c>.
/// Answers are cached within their TTLs. Expected failures are values, never exceptions.
/// </summary>
public sealed class ProviderResolver : IDisposable
{
    /// <summary>The SRV service label pair for MIMI.</summary>
    public const string ServicePrefix = "_mimi._tcp.";

    /// <summary>The well-known path of the directory document.</summary>
    public const string DirectoryPath = "/.well-known/mimi-protocol-directory";

    private readonly ProviderResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly ILogger _logger;
    private readonly DnsLookup _dns;
    private readonly AddressGuard _guard;
    private readonly TtlCache<ResolvedDomain> _resolutions;
    private readonly TtlCache<HostAddresses> _hosts;
    private readonly TtlCache<DirectoryResult> _directories;
    private readonly HttpClient _http;

    /// <summary>Creates a resolver.</summary>
    /// <param name="options">Settings; validated here, so a wrong setting fails at start-up with its name.</param>
    /// <param name="timeProvider">Clock for cache expiry; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="random">Source of the RFC 2782 weighted selection; <see cref="Random.Shared"/> when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public ProviderResolver(
        ProviderResolverOptions options,
        TimeProvider? timeProvider = null,
        Random? random = null,
        ILogger<ProviderResolver>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _dns = new DnsLookup(options);
        _guard = new AddressGuard(options.AllowedAddressRanges);
        _resolutions = new TtlCache<ResolvedDomain>(_time, options.MaxCacheEntries);
        _hosts = new TtlCache<HostAddresses>(_time, options.MaxCacheEntries);
        _directories = new TtlCache<DirectoryResult>(_time, options.MaxCacheEntries);
        _http = CreateHttpClient();
    }

    /// <summary>The guard this resolver vets addresses with.</summary>
    public AddressGuard Guard => _guard;

    /// <summary>
    /// Creates a handler that resolves host names through this resolver's name servers and cache and
    /// connects only to addresses its <see cref="Guard"/> allows; redirects are not followed.
    /// The consent and delivery code sends its requests through it.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler() =>
        GuardedHttp.CreateHandler(_guard, ResolveHostAddressesAsync, _options.ConnectTimeout);

    /// <summary>An <see cref="HttpClient"/> over <see cref="CreateHttpHandler"/>, with no overall timeout (set one per request).</summary>
    public HttpClient CreateHttpClient() =>
        new(CreateHttpHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Resolves <paramref name="domain"/>: SRV records (or the fallback), their addresses, the SSRF check,
    /// and the RFC 2782 order, which is drawn afresh on every call, cached answers included.
    /// </summary>
    public async Task<Resolution> ResolveAsync(string domain, CancellationToken cancellationToken = default)
    {
        if (!DomainName.TryNormalize(domain, out var name, out var problem))
        {
            return new Resolution(domain ?? string.Empty, ResolutionStatus.InvalidDomain, ResolutionSource.None, [], [],
                TimeSpan.Zero, null, false, problem, [$"invalid domain: {problem}"]);
        }

        if (_resolutions.TryGet(name, out var cached, out var expiresAt))
        {
            return Present(name, cached, fromCache: true, expiresAt);
        }

        var fresh = await ResolveUncachedAsync(name, cancellationToken);
        var cachedUntil = fresh.Cacheable ? _resolutions.Set(name, fresh, fresh.Ttl) : null;
        var resolution = Present(name, fresh, fromCache: false, cachedUntil);
        Log.Resolved(_logger, name, resolution.Status, resolution.Source, resolution.Candidates.Count);
        return resolution;
    }

    /// <summary>
    /// Fetches the provider's directory document: resolves the domain, then
    /// <c>GET {scheme}://{target}:{port}/.well-known/mimi-protocol-directory</c> against each candidate in
    /// order until one answers, and validates the document. Valid documents are cached (HTTP <c>max-age</c>,
    /// else <see cref="ProviderResolverOptions.DefaultDirectoryTtl"/>).
    /// </summary>
    public async Task<DirectoryResult> GetDirectoryAsync(string domain, CancellationToken cancellationToken = default)
    {
        if (DomainName.TryNormalize(domain, out var name, out _) && _directories.TryGet(name, out var cached, out var expiresAt))
        {
            return cached with
            {
                FromCache = true,
                Explanation = [$"cache: directory for {name} cached, expires in {Seconds(expiresAt - _time.GetUtcNow())}", .. cached.Explanation],
            };
        }

        var resolution = await ResolveAsync(domain, cancellationToken);
        if (!resolution.Succeeded)
        {
            return new DirectoryResult(resolution.Domain, DirectoryStatus.ResolutionFailed, null, resolution,
                $"{resolution.Domain} did not resolve: {resolution.Error}", TimeSpan.Zero, false, resolution.Explanation);
        }

        name = resolution.Domain;
        var trail = new List<string>(resolution.Explanation);
        var failover = await Failover.RunAsync(
            resolution,
            (candidate, token) => FetchDirectoryAsync(name, candidate, token),
            _options.DirectoryTimeout,
            fetch => fetch.TryNext,
            cancellationToken);
        trail.AddRange(failover.Describe());

        DirectoryResult result;
        if (failover.Value is not { } fetched)
        {
            var allTimedOut = failover.Attempts.All(a => a.Outcome == FailoverAttemptOutcome.TimedOut);
            var error = $"no target of {name} answered: " + string.Join("; ", failover.Attempts.Select(a => $"{a.Candidate} {a.Detail}"));
            trail.Add(error);
            result = new DirectoryResult(name, allTimedOut ? DirectoryStatus.Timeout : DirectoryStatus.Unreachable,
                null, resolution, error, TimeSpan.Zero, false, trail);
        }
        else if (fetched.Status != DirectoryStatus.Ok)
        {
            trail.Add($"directory from {failover.Candidate}: {fetched.Status}: {fetched.Error}");
            result = new DirectoryResult(name, fetched.Status, null, resolution, fetched.Error, TimeSpan.Zero, false, trail);
        }
        else
        {
            var directory = fetched.Directory!;
            trail.Add($"directory {directory.Source}: {directory.Endpoints.Count} endpoint(s) ("
                + string.Join(", ", directory.Endpoints.Keys.Select(MimiDirectory.NameOf)) + ")"
                + (directory.IgnoredMembers.Count > 0 ? $"; ignored unknown member(s): {string.Join(", ", directory.IgnoredMembers.Take(20))}" : string.Empty));
            trail.Add(fetched.Ttl > TimeSpan.Zero ? $"directory cached for {Seconds(fetched.Ttl)}" : "directory not cached");
            result = new DirectoryResult(name, DirectoryStatus.Ok, directory, resolution, null, fetched.Ttl, false, trail);
            _directories.Set(name, result, fetched.Ttl);
        }

        Log.DirectoryFetched(_logger, name, result.Status, result.Error);
        return result;
    }

    /// <summary>
    /// What <c>mimi resolve DOMAIN</c> prints: the resolution, optionally the directory, and one
    /// explanation covering both.
    /// </summary>
    public async Task<ProviderReport> InspectAsync(string domain, bool fetchDirectory = true, CancellationToken cancellationToken = default)
    {
        if (!fetchDirectory)
        {
            var resolution = await ResolveAsync(domain, cancellationToken);
            return new ProviderReport(domain, resolution, null, resolution.Explanation);
        }

        var directory = await GetDirectoryAsync(domain, cancellationToken);
        return new ProviderReport(domain, directory.Resolution, directory, directory.Explanation);
    }

    /// <summary>Drops every cached answer.</summary>
    public void ClearCache()
    {
        _resolutions.Clear();
        _hosts.Clear();
        _directories.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>A/AAAA lookup through the configured name servers and the host cache, for the guarded handler.</summary>
    internal async ValueTask<IReadOnlyList<IPAddress>> ResolveHostAddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        var name = DomainName.FromDns(host);
        var lookup = await LookupHostAsync(name, null, cancellationToken);
        return lookup.Addresses;
    }

    private async Task<ResolvedDomain> ResolveUncachedAsync(string name, CancellationToken cancellationToken)
    {
        var srvName = ServicePrefix + name;
        var trail = new List<string>();
        var answer = await _dns.QueryAsync(srvName, QueryType.SRV, cancellationToken);
        switch (answer.Outcome)
        {
            case DnsOutcome.Timeout:
                Log.DnsFailed(_logger, srvName, "SRV", answer.Detail);
                trail.Add($"SRV {srvName}: {answer.Detail}");
                return ResolvedDomain.Failed(ResolutionStatus.Timeout, $"DNS timeout: SRV {srvName}: {answer.Detail}", trail);

            case DnsOutcome.Failure:
                Log.DnsFailed(_logger, srvName, "SRV", answer.Detail);
                trail.Add($"SRV {srvName}: DNS error {answer.Detail}");
                return ResolvedDomain.Failed(ResolutionStatus.DnsFailure, $"DNS error: SRV {srvName}: {answer.Detail}", trail);

            case DnsOutcome.NameError:
            case DnsOutcome.NoData:
                return await FallbackAsync(name, srvName, answer, trail, cancellationToken);
        }

        var records = answer.Response!.Answers.SrvRecords().ToList();
        var srvTtl = TimeSpan.FromSeconds(records.Min(r => Math.Max(0, r.InitialTimeToLive)));
        trail.Add($"SRV {srvName}: {records.Count} record(s), TTL {Seconds(srvTtl)}: "
            + string.Join(", ", records.Select(r => $"{r.Priority} {r.Weight} {r.Port} {r.Target.Value}")));

        // RFC 2782: a single record with target "." means the service is decidedly not available.
        var real = records.Where(r => DomainName.FromDns(r.Target.Value).Length > 0).ToList();
        if (real.Count == 0)
        {
            trail.Add($"target \".\": the MIMI service is decidedly not available at {name} (RFC 2782)");
            return new ResolvedDomain(ResolutionStatus.NotAvailable, ResolutionSource.Srv, [], [], Cap(srvTtl, _options.MaxPositiveTtl),
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
        var negativeTtl = Cap(DnsLookup.NegativeTtl(answer.Response) ?? _options.NegativeTtlWithoutSoa, _options.NegativeTtlCap);
        trail.Add($"SRV {srvName}: none ({answer.Detail}, negative TTL {Seconds(negativeTtl)}); falling back to {name}:{_options.FallbackPort}");
        var outcome = await BuildCandidateAsync(name, _options.FallbackPort, 0, 0, null, cancellationToken);
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
            ttl = Min(ttl, outcome.Ttl);
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

        ttl = Cap(ttl, source == ResolutionSource.Srv ? _options.MaxPositiveTtl : _options.NegativeTtlCap);
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
        var lookup = await LookupHostAsync(target, srvResponse, cancellationToken);
        trail.Add(lookup.Addresses.Count > 0
            ? $"{target}: {string.Join(", ", lookup.Addresses)} ({lookup.Detail}, TTL {Seconds(lookup.Ttl)})"
            : $"{target}: no address ({lookup.Detail})");

        var permitted = new List<IPAddress>();
        var refused = new List<RefusedAddress>();
        foreach (var address in lookup.Addresses)
        {
            var reason = _guard.Check(address);
            if (reason is null)
            {
                permitted.Add(address);
            }
            else
            {
                refused.Add(new RefusedAddress(address, reason));
                Log.AddressRefused(_logger, target, reason);
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

    private async Task<HostAddresses> LookupHostAsync(string host, IDnsQueryResponse? srvResponse, CancellationToken cancellationToken)
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
                _hosts.Set(host, found, found.Ttl);
                return found;
            }
        }

        if (_hosts.TryGet(host, out var cached, out _))
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
                ttl = Min(ttl, records.Ttl);
            }
        }

        HostAddresses result;
        if (addresses.Count > 0)
        {
            result = new HostAddresses(addresses, Cap(ttl, _options.MaxPositiveTtl), false, "A/AAAA query");
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
            result = new HostAddresses([], Cap(negative, _options.NegativeTtlCap), false, $"A/AAAA {host}: {answers[0].Detail}/{answers[1].Detail}");
        }

        _hosts.Set(host, result, result.Ttl);
        return result;
    }

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

    private Resolution Present(string name, ResolvedDomain data, bool fromCache, DateTimeOffset? expiresAt)
    {
        var trail = new List<string>(data.Trail.Count + 2);
        if (fromCache && expiresAt is { } until)
        {
            trail.Add($"cache: answer for {name} cached, expires in {Seconds(until - _time.GetUtcNow())}");
        }

        trail.AddRange(data.Trail);
        var ordered = data.Candidates.Count > 1 ? SrvOrdering.Order(data.Candidates, UniformUpTo) : [.. data.Candidates];
        if (ordered.Count > 0)
        {
            trail.Add("chose " + string.Join(", then ", ordered.Select(c => data.Source == ResolutionSource.Fallback
                ? $"{c} (fallback, no SRV record)"
                : $"{c} (priority {c.Priority}, weight {c.Weight})")));
        }
        else if (data.Error is not null)
        {
            trail.Add($"failed: {data.Error}");
        }

        return new Resolution(name, data.Status, data.Source, ordered, data.Unusable, data.Ttl, expiresAt, fromCache, data.Error, trail);
    }

    private async Task<DirectoryFetch> FetchDirectoryAsync(string domain, ResolutionCandidate candidate, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(_options.DirectoryScheme, candidate.Target, candidate.Port, DirectoryPath).Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        GuardedHttp.PinAddresses(request, candidate.Addresses);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var code = (int)response.StatusCode;
        if (code is >= 300 and < 400)
        {
            var location = response.Headers.Location?.ToString() ?? "(no Location)";
            return DirectoryFetch.Failed(DirectoryStatus.Redirected, $"{uri} answered {code} redirecting to {location}; redirects are not followed", tryNext: false);
        }

        if (!response.IsSuccessStatusCode)
        {
            // A 5xx is this target's trouble: RFC 2782 fail-over moves on. A 4xx would be the same everywhere.
            return DirectoryFetch.Failed(DirectoryStatus.HttpError, $"{uri} answered HTTP {code} {response.ReasonPhrase}", tryNext: code >= 500);
        }

        var limit = _options.MaxDirectoryBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            return DirectoryFetch.Failed(DirectoryStatus.TooLarge, $"{uri} announced {response.Content.Headers.ContentLength} bytes, more than the {limit}-byte limit", tryNext: false);
        }

        var buffer = new byte[limit + 1];
        var length = 0;
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }

        if (length > limit)
        {
            return DirectoryFetch.Failed(DirectoryStatus.TooLarge, $"{uri} sent more than the {limit}-byte limit", tryNext: false);
        }

        var parse = DirectoryDocument.Parse(buffer.AsMemory(0, length), uri, [candidate.Target, domain], _options.AllowHttp);
        if (parse.Status != DirectoryStatus.Ok)
        {
            return DirectoryFetch.Failed(parse.Status, parse.Error!, tryNext: false);
        }

        return new DirectoryFetch(DirectoryStatus.Ok, parse.Directory, null, DirectoryTtl(response), TryNext: false);
    }

    private TimeSpan DirectoryTtl(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is not null && (cacheControl.NoStore || cacheControl.NoCache))
        {
            return TimeSpan.Zero;
        }

        if (cacheControl?.MaxAge is { } maxAge)
        {
            var age = response.Headers.Age ?? TimeSpan.Zero;
            return Cap(maxAge - age, _options.MaxDirectoryTtl);
        }

        return Cap(_options.DefaultDirectoryTtl, _options.MaxDirectoryTtl);
    }

    private int UniformUpTo(int max)
    {
        lock (_randomLock)
        {
            return _random.Next(0, max + 1);
        }
    }

    private static TimeSpan Cap(TimeSpan value, TimeSpan cap) =>
        value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Seconds(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, Math.Round(value.TotalSeconds)):0} s");

    private sealed record ResolvedDomain(
        ResolutionStatus Status,
        ResolutionSource Source,
        IReadOnlyList<ResolutionCandidate> Candidates,
        IReadOnlyList<UnusableTarget> Unusable,
        TimeSpan Ttl,
        string? Error,
        IReadOnlyList<string> Trail,
        bool Cacheable)
    {
        public static ResolvedDomain Failed(ResolutionStatus status, string error, IReadOnlyList<string> trail) =>
            new(status, ResolutionSource.None, [], [], TimeSpan.Zero, error, trail, Cacheable: false);
    }

    private sealed record HostAddresses(IReadOnlyList<IPAddress> Addresses, TimeSpan Ttl, bool TimedOut, string Detail);

    private sealed record CandidateOutcome(ResolutionCandidate? Usable, UnusableTarget? Unusable, TimeSpan Ttl, bool TimedOut, IReadOnlyList<string> Trail);

    private sealed record DirectoryFetch(DirectoryStatus Status, MimiDirectory? Directory, string? Error, TimeSpan Ttl, bool TryNext)
    {
        public static DirectoryFetch Failed(DirectoryStatus status, string error, bool tryNext) =>
            new(status, null, error, TimeSpan.Zero, tryNext);

        public override string ToString() => Error ?? Status.ToString();
    }
}
