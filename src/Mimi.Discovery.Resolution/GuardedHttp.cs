using System.Net;
using System.Net.Sockets;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// HTTP clients that only ever connect to addresses an <see cref="AddressGuard"/> allows. The check runs
/// in the <see cref="SocketsHttpHandler.ConnectCallback"/>, on the very addresses the socket connects to,
/// so a DNS answer that changes between a check and the connection (DNS rebinding) cannot get around it.
/// Redirects are never followed and proxies are never used.
/// </summary>
public static class GuardedHttp
{
    /// <summary>
    /// Request option holding addresses already resolved and vetted for the request's host; when set,
    /// the connection goes to these (after vetting them again) without another DNS lookup.
    /// </summary>
    public static HttpRequestOptionsKey<IReadOnlyList<IPAddress>> PinnedAddressesKey { get; } = new("Mimi.Discovery.Resolution.PinnedAddresses");

    /// <summary>Makes <paramref name="request"/> connect only to <paramref name="addresses"/> (if the guard allows them).</summary>
    public static void PinAddresses(HttpRequestMessage request, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(addresses);
        request.Options.Set(PinnedAddressesKey, addresses);
    }

    /// <summary>Creates a handler whose connections are vetted by <paramref name="guard"/>.</summary>
    /// <param name="guard">Which addresses may be contacted.</param>
    /// <param name="resolveHost">Resolves a host name to addresses when the request has no pinned addresses.</param>
    /// <param name="connectTimeout">How long one connection may take to establish.</param>
    public static SocketsHttpHandler CreateHandler(
        AddressGuard guard,
        Func<string, CancellationToken, ValueTask<IReadOnlyList<IPAddress>>> resolveHost,
        TimeSpan connectTimeout)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(resolveHost);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = connectTimeout,
            // Pooled connections are recycled so that a changed DNS answer is eventually honoured.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(guard, resolveHost, context, cancellationToken),
        };
    }

    /// <summary>Whether <paramref name="exception"/> (or one of its inner exceptions) is a <see cref="ForbiddenAddressException"/>.</summary>
    public static bool IsForbiddenAddress(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ForbiddenAddressException)
            {
                return true;
            }
        }

        return false;
    }

    private static async ValueTask<Stream> ConnectAsync(
        AddressGuard guard,
        Func<string, CancellationToken, ValueTask<IReadOnlyList<IPAddress>>> resolveHost,
        SocketsHttpConnectionContext context,
        CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        IReadOnlyList<IPAddress> addresses;
        if (context.InitialRequestMessage.Options.TryGetValue(PinnedAddressesKey, out var pinned))
        {
            addresses = pinned;
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            addresses = await resolveHost(host, cancellationToken);
        }

        if (addresses.Count == 0)
        {
            throw new HttpRequestException(HttpRequestError.NameResolutionError, $"{host} has no addresses");
        }

        var permitted = new List<IPAddress>(addresses.Count);
        var refused = new List<RefusedAddress>();
        foreach (var address in addresses)
        {
            var reason = guard.Check(address);
            if (reason is null)
            {
                permitted.Add(address);
            }
            else
            {
                refused.Add(new RefusedAddress(address, reason));
            }
        }

        if (permitted.Count == 0)
        {
            throw new ForbiddenAddressException(host, refused);
        }

        SocketException? lastError = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException(
            HttpRequestError.ConnectionError,
            $"could not connect to {host}:{port} ({string.Join(", ", permitted)}): {lastError?.Message}",
            lastError);
    }
}
