namespace Mimi.Discovery.Authority;

/// <summary>A CA certificate written by a ceremony step, with what an operator should record.</summary>
/// <param name="Subject">Subject distinguished name (RFC 4514 text).</param>
/// <param name="SerialHex">Serial number, lower-case hex.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Sha256Fingerprint">SHA-256 of the DER certificate, upper-case hex pairs separated by colons, as <c>openssl x509 -fingerprint -sha256</c> prints it.</param>
/// <param name="CertificatePath">Where the certificate was written.</param>
/// <param name="PrivateKeyPath">Where its private key was written (mode 0600).</param>
public sealed record CaCertificateInfo(
    string Subject,
    string SerialHex,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint,
    string CertificatePath,
    string PrivateKeyPath);
