using System.Net.Http.Headers;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// Fetches the directory document from one candidate over the guarded client: no redirects, at most
/// <see cref="ProviderResolverOptions.MaxDirectoryBytes"/>, the document validated, its lifetime from <c>Cache-Control</c>.
/// </summary>
internal sealed class DirectoryFetcher(ProviderResolverOptions options, HttpClient http)
{
    public async Task<DirectoryFetch> FetchAsync(string domain, ResolutionCandidate candidate, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(options.DirectoryScheme, candidate.Target, candidate.Port, ProviderResolver.DirectoryPath).Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        GuardedHttp.PinAddresses(request, candidate.Addresses);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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

        var limit = options.MaxDirectoryBytes;
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

        var parse = DirectoryDocument.Parse(buffer.AsMemory(0, length), uri, [candidate.Target, domain], options.AllowHttp);
        if (parse.Status != DirectoryStatus.Ok)
        {
            return DirectoryFetch.Failed(parse.Status, parse.Error!, tryNext: false);
        }

        return new DirectoryFetch(DirectoryStatus.Ok, parse.Directory, null, Ttl(response), TryNext: false);
    }

    private TimeSpan Ttl(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is not null && (cacheControl.NoStore || cacheControl.NoCache))
        {
            return TimeSpan.Zero;
        }

        if (cacheControl?.MaxAge is { } maxAge)
        {
            var age = response.Headers.Age ?? TimeSpan.Zero;
            return Durations.Cap(maxAge - age, options.MaxDirectoryTtl);
        }

        return Durations.Cap(options.DefaultDirectoryTtl, options.MaxDirectoryTtl);
    }
}
