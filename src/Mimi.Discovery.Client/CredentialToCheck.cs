namespace Mimi.Discovery.Client;

/// <summary>
/// A credential whose inclusion the audit must prove: its certificate (DER), the log index its assertion names, and,
/// for a credential logged in format 2, what travels beside it (the opening shows that the entry logs this certificate,
/// since the entry itself shows only a commitment).
/// </summary>
public sealed record CredentialToCheck(byte[] Certificate, long LogIndex, CredentialTransparency? Transparency = null)
{
    /// <summary>The certificate, log index and transparency member of an issued credential.</summary>
    public static CredentialToCheck From(Credential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(credential.Certificate);
        return new CredentialToCheck(certificate.RawData, credential.LogIndex, credential.Transparency);
    }
}
