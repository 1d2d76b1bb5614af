using System.Net;
using System.Net.Sockets;

namespace Mimi.Discovery.Sandbox;

/// <summary>
/// Ports on 127.0.0.1 that nothing listens on right now. Another process may take one before the caller binds it:
/// callers that bind later retry on another port.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>A free TCP port.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A loopback port free for both UDP and TCP (DNS needs both).</summary>
    public static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: try another.
            }
        }

        throw new InvalidOperationException("no free loopback port for UDP and TCP");
    }
}
