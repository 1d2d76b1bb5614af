namespace Mimi.Discovery.Resolution;

/// <summary>Where the candidates came from.</summary>
public enum ResolutionSource
{
    /// <summary>Nothing usable was looked up (invalid domain, DNS failure or timeout).</summary>
    None,

    /// <summary>From <c>_mimi._tcp.&lt;domain&gt;</c> SRV records.</summary>
    Srv,

    /// <summary>No SRV record exists (NXDOMAIN or NODATA): the domain itself on the fallback port.</summary>
    Fallback,
}
