namespace Mimi.Discovery.Authority;

/// <summary>A signed X.509 credential.</summary>
public sealed class IssuedCredential
{
    internal IssuedCredential(byte[] der, string serialHex, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        Der = der;
        Pem = Authority.Pem.Encode("CERTIFICATE", der);
        SerialHex = serialHex;
        NotBefore = notBefore;
        NotAfter = notAfter;
    }

    /// <summary>The certificate, DER-encoded (what an RFC 9420 x509 credential carries first).</summary>
    public byte[] Der { get; }

    /// <summary>The certificate as PEM text.</summary>
    public string Pem { get; }

    /// <summary>Serial number, lower-case hex of the unsigned value (the <c>cred</c> claim of the mapping assertion).</summary>
    public string SerialHex { get; }

    /// <summary>Start of validity as written in the certificate.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of validity as written in the certificate.</summary>
    public DateTimeOffset NotAfter { get; }
}
