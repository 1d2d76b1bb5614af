namespace Mimi.Discovery.Resolution;

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
