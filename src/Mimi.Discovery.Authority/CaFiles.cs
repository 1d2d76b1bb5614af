namespace Mimi.Discovery.Authority;

/// <summary>File names inside a CA directory.</summary>
public static class CaFiles
{
    /// <summary>Root certificate, PEM.</summary>
    public const string RootCertificate = "root.pem";

    /// <summary>Root private key, PKCS#8 PEM, mode 0600; stays on the offline machine in production.</summary>
    public const string RootKey = "root.key";

    /// <summary>CRL signed by the root, covering intermediates, PEM.</summary>
    public const string RootCrl = "root.crl";

    /// <summary>Intermediate certificate, PEM.</summary>
    public const string IntermediateCertificate = "intermediate.pem";

    /// <summary>Intermediate private key, PKCS#8 PEM, mode 0600; the only key the service holds.</summary>
    public const string IntermediateKey = "intermediate.key";

    /// <summary>The chain to publish: the intermediate certificate, then the root certificate, PEM.</summary>
    public const string Chain = "chain.pem";
}
