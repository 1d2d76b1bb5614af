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
    private readonly AddressGuard _guard;
    private readonly HostAddressLookup _hosts;
    private readonly SrvResolver _srv;
    private readonly TtlCache<ResolvedDomain> _resolutions;
    private readonly TtlCache<DirectoryResult> _directories;
    private readonly HttpClient _http;
    private readonly DirectoryFetcher _fetcher;

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
        var dns = new DnsLookup(options);
        _guard = new AddressGuard(options.AllowedAddressRanges);
        _hosts = new HostAddressLookup(options, dns, _time);
        _srv = new SrvResolver(options, dns, _hosts, _guard, _logger);
        _resolutions = new TtlCache<ResolvedDomain>(_time, options.MaxCacheEntries);
        _directories = new TtlCache<DirectoryResult>(_time, options.MaxCacheEntries);
        _http = CreateHttpClient();
        _fetcher = new DirectoryFetcher(options, _http);
    }

    /// <summary>The guard this resolver vets addresses with.</summary>
    public AddressGuard Guard => _guard;

    /// <summary>
    /// Creates a handler that resolves host names through this resolver's name servers and cache and
    /// connects only to addresses its <see cref="Guard"/> allows; redirects are not followed.
    /// The consent and delivery code sends its requests through it.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler() =>
        GuardedHttp.CreateHandler(_guard, _hosts.ResolveAsync, _options.ConnectTimeout);

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

        var fresh = await _srv.ResolveAsync(name, cancellationToken);
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
                Explanation = [$"cache: directory for {name} cached, expires in {Durations.Seconds(expiresAt - _time.GetUtcNow())}", .. cached.Explanation],
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
            (candidate, token) => _fetcher.FetchAsync(name, candidate, token),
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
            trail.Add(fetched.Ttl > TimeSpan.Zero ? $"directory cached for {Durations.Seconds(fetched.Ttl)}" : "directory not cached");
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

    private Resolution Present(string name, ResolvedDomain data, bool fromCache, DateTimeOffset? expiresAt)
    {
        var trail = new List<string>(data.Trail.Count + 2);
        if (fromCache && expiresAt is { } until)
        {
            trail.Add($"cache: answer for {name} cached, expires in {Durations.Seconds(until - _time.GetUtcNow())}");
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

    private int UniformUpTo(int max)
    {
        lock (_randomLock)
        {
            return _random.Next(0, max + 1);
        }
    }
}
