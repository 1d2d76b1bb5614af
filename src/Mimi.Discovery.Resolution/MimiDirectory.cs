using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Mimi.Discovery.Resolution;

/// <summary>The endpoints a MIMI directory document names (draft-ietf-mimi-protocol-06, section 5.1).</summary>
public enum MimiEndpoint
{
    /// <summary><c>keyMaterial</c>: claim KeyPackages for a target user.</summary>
    KeyMaterial,

    /// <summary><c>update</c>: submit proposals and commits to the hub.</summary>
    Update,

    /// <summary><c>notify</c>: hub-to-follower fan-out.</summary>
    Notify,

    /// <summary><c>submitMessage</c>: submit an application message to the hub.</summary>
    SubmitMessage,

    /// <summary><c>groupInfo</c>: fetch GroupInfo for an external join.</summary>
    GroupInfo,

    /// <summary><c>requestConsent</c>: ask a target for consent.</summary>
    RequestConsent,

    /// <summary><c>updateConsent</c>: grant, revoke or cancel consent.</summary>
    UpdateConsent,

    /// <summary><c>identifierQuery</c>: query identifiers at a provider.</summary>
    IdentifierQuery,

    /// <summary><c>reportAbuse</c>: report abuse in a room.</summary>
    ReportAbuse,

    /// <summary><c>proxyDownload</c>: download an asset through the hub.</summary>
    ProxyDownload,
}

/// <summary>A validated MIMI directory document: URL templates for the known endpoints.</summary>
public sealed class MimiDirectory
{
    private static readonly Dictionary<string, MimiEndpoint> ByName = new(StringComparer.Ordinal)
    {
        ["keyMaterial"] = MimiEndpoint.KeyMaterial,
        ["update"] = MimiEndpoint.Update,
        ["notify"] = MimiEndpoint.Notify,
        ["submitMessage"] = MimiEndpoint.SubmitMessage,
        ["groupInfo"] = MimiEndpoint.GroupInfo,
        ["requestConsent"] = MimiEndpoint.RequestConsent,
        ["updateConsent"] = MimiEndpoint.UpdateConsent,
        ["identifierQuery"] = MimiEndpoint.IdentifierQuery,
        ["reportAbuse"] = MimiEndpoint.ReportAbuse,
        ["proxyDownload"] = MimiEndpoint.ProxyDownload,
    };

    internal MimiDirectory(Uri source, IReadOnlyDictionary<MimiEndpoint, string> endpoints, IReadOnlyList<string> ignoredMembers)
    {
        Source = source;
        Endpoints = endpoints;
        IgnoredMembers = ignoredMembers;
    }

    /// <summary>The <c>/.well-known/mimi-protocol-directory</c> URL the document came from.</summary>
    public Uri Source { get; }

    /// <summary>URL templates by endpoint, as published (for example <c>https://mimi.example/v1/keyMaterial/{targetUser}</c>).</summary>
    public IReadOnlyDictionary<MimiEndpoint, string> Endpoints { get; }

    /// <summary>Members of the document that name no known endpoint; they are ignored.</summary>
    public IReadOnlyList<string> IgnoredMembers { get; }

    /// <summary>The JSON member name of <paramref name="endpoint"/> (for example <c>requestConsent</c>).</summary>
    public static string NameOf(MimiEndpoint endpoint) =>
        ByName.First(pair => pair.Value == endpoint).Key;

    /// <summary>Looks up the endpoint named by a JSON member name.</summary>
    public static bool TryParseName(string name, out MimiEndpoint endpoint) => ByName.TryGetValue(name, out endpoint);

    /// <summary>Gets the URL template for <paramref name="endpoint"/>, if the document has one.</summary>
    public bool TryGetTemplate(MimiEndpoint endpoint, [NotNullWhen(true)] out string? template) =>
        Endpoints.TryGetValue(endpoint, out template);

    /// <summary>
    /// Fills every <c>{variable}</c> of the endpoint's template with <paramref name="value"/>, percent-encoded
    /// (so it cannot change the host), and returns the URL; <see langword="null"/> when the document has no such endpoint.
    /// </summary>
    public Uri? Expand(MimiEndpoint endpoint, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!TryGetTemplate(endpoint, out var template))
        {
            return null;
        }

        var escaped = Uri.EscapeDataString(value);
        var builder = new StringBuilder(template.Length + escaped.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            builder.Append(template, i, open - i).Append(escaped);
            i = close + 1;
        }

        return new Uri(builder.ToString(), UriKind.Absolute);
    }
}

/// <summary>How fetching a directory document ended.</summary>
public enum DirectoryStatus
{
    /// <summary>The document was fetched and is valid.</summary>
    Ok,

    /// <summary>The provider domain did not resolve to a usable candidate; see <see cref="DirectoryResult.Resolution"/>.</summary>
    ResolutionFailed,

    /// <summary>No candidate accepted a connection.</summary>
    Unreachable,

    /// <summary>Every candidate timed out.</summary>
    Timeout,

    /// <summary>The server answered with an HTTP error status.</summary>
    HttpError,

    /// <summary>The server answered with a redirect; redirects are never followed.</summary>
    Redirected,

    /// <summary>The body is larger than <see cref="ProviderResolverOptions.MaxDirectoryBytes"/>.</summary>
    TooLarge,

    /// <summary>The body is not JSON.</summary>
    InvalidJson,

    /// <summary>The JSON is not a valid directory (not an object, a URL not https, on the wrong host…).</summary>
    InvalidDocument,
}

/// <summary>The outcome of fetching a provider's directory document.</summary>
/// <param name="Domain">The provider domain.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Directory">The validated document when <paramref name="Status"/> is <see cref="DirectoryStatus.Ok"/>.</param>
/// <param name="Resolution">The resolution the fetch used (for a cached document, the one it was fetched with).</param>
/// <param name="Error">What went wrong, when not <see cref="DirectoryStatus.Ok"/>.</param>
/// <param name="TimeToLive">How long the document is cached (zero when it is not).</param>
/// <param name="FromCache">Whether the document came from the cache.</param>
/// <param name="Explanation">Step-by-step account: resolution, attempts, validation.</param>
public sealed record DirectoryResult(
    string Domain,
    DirectoryStatus Status,
    MimiDirectory? Directory,
    Resolution Resolution,
    string? Error,
    TimeSpan TimeToLive,
    bool FromCache,
    IReadOnlyList<string> Explanation)
{
    /// <summary>Whether <see cref="Directory"/> holds a valid document.</summary>
    [MemberNotNullWhen(true, nameof(Directory))]
    public bool Succeeded => Status == DirectoryStatus.Ok && Directory is not null;
}

/// <summary>Everything <c>mimi resolve DOMAIN</c> prints: the resolution, the directory and the combined explanation.</summary>
/// <param name="Domain">The domain as given.</param>
/// <param name="Resolution">The DNS resolution.</param>
/// <param name="Directory">The directory fetch, or <see langword="null"/> when it was not attempted.</param>
/// <param name="Explanation">The combined explanation, one line per step.</param>
public sealed record ProviderReport(string Domain, Resolution Resolution, DirectoryResult? Directory, IReadOnlyList<string> Explanation);
