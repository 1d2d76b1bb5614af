namespace Mimi.Discovery.Resolution;

/// <summary>
/// Thrown from the connect callback of a <see cref="GuardedHttp"/> handler when every address of a host
/// is refused by the <see cref="AddressGuard"/>. It reaches callers as the inner exception of an
/// <see cref="HttpRequestException"/>; <see cref="GuardedHttp.IsForbiddenAddress"/> finds it.
/// </summary>
public sealed class ForbiddenAddressException : IOException
{
    /// <summary>Creates the exception for <paramref name="host"/> and the refused addresses.</summary>
    public ForbiddenAddressException(string host, IReadOnlyList<RefusedAddress> refused)
        : base($"refusing to connect to {host}: {string.Join("; ", refused.Select(r => r.Reason))}")
    {
        Host = host;
        Refused = refused;
    }

    /// <summary>The host the request was for.</summary>
    public string Host { get; }

    /// <summary>The addresses refused, with reasons.</summary>
    public IReadOnlyList<RefusedAddress> Refused { get; }
}
