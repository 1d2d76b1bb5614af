namespace Mimi.Discovery.Authority;

/// <summary>
/// A self-contained CA for the embedded default and for tests: root and intermediate are created
/// on first use in one directory (0700, keys 0600) and loaded on later runs. Not for production,
/// where the root is created offline (see <see cref="CertificateAuthorityCeremony"/>).
/// </summary>
public static class DevCertificateAuthority
{
    /// <summary>Subject of the development root.</summary>
    public const string RootSubject = "CN=Mimi.Discovery Development Root, O=Mimi.Discovery";

    /// <summary>Subject of the development intermediate.</summary>
    public const string IntermediateSubject = "CN=Mimi.Discovery Development Issuing CA, O=Mimi.Discovery";

    private const int RootYears = 20;
    private const int IntermediateDays = 5 * 365;

    /// <summary>
    /// Creates (first run) or loads (later runs) the development CA in <paramref name="directory"/>:
    /// <c>root.pem</c>, <c>root.key</c>, <c>root.crl</c>, <c>intermediate.pem</c>, <c>intermediate.key</c>, <c>chain.pem</c>.
    /// </summary>
    /// <param name="directory">The CA directory, created with mode 0700.</param>
    /// <param name="crlUrl">Where the service serves the intermediate's CRL; written into credentials.</param>
    /// <param name="rootCrlUrl">Where the root's CRL (<c>root.crl</c>) is served; written into the intermediate.</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    /// <exception cref="InsecureKeyFileException">A key file is accessible by group or others.</exception>
    public static CertificateAuthority EnsureCreated(string directory, Uri crlUrl, Uri rootCrlUrl, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        KeyFiles.EnsureKeyDirectory(directory);
        if (!File.Exists(Path.Combine(directory, CaFiles.RootCertificate)))
        {
            CertificateAuthorityCeremony.CreateRoot(directory, RootSubject, RootYears, timeProvider);
        }

        if (!File.Exists(Path.Combine(directory, CaFiles.IntermediateCertificate)))
        {
            CertificateAuthorityCeremony.CreateIntermediate(directory, directory, IntermediateSubject, IntermediateDays, rootCrlUrl, timeProvider);
            CertificateAuthorityCeremony.CreateRootCrl(directory, [], IntermediateDays, crlNumber: 1, timeProvider);
        }

        return CertificateAuthority.Load(directory, crlUrl);
    }
}
