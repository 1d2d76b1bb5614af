namespace Mimi.Discovery.Authority;

/// <summary>A signed certificate revocation list.</summary>
public sealed class IssuedCrl
{
    internal IssuedCrl(byte[] der, long crlNumber, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        Der = der;
        Pem = Authority.Pem.Encode("X509 CRL", der);
        CrlNumber = crlNumber;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
    }

    /// <summary>The CRL, DER-encoded (served as <c>application/pkix-crl</c>).</summary>
    public byte[] Der { get; }

    /// <summary>The CRL as PEM text.</summary>
    public string Pem { get; }

    /// <summary>The cRLNumber extension value.</summary>
    public long CrlNumber { get; }

    /// <summary>thisUpdate as written.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>nextUpdate as written.</summary>
    public DateTimeOffset NextUpdate { get; }
}
