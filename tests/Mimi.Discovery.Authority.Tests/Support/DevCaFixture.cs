namespace Mimi.Discovery.Authority.Tests.Support;

/// <summary>One development CA per test class: created in a temp directory, with the CRL URLs the tests expect.</summary>
public sealed class DevCaFixture : IDisposable
{
    public static readonly Uri CrlUrl = new("https://authority.test/ca/intermediate.crl");
    public static readonly Uri RootCrlUrl = new("https://authority.test/ca/root.crl");

    private readonly TempDirectory _directory = new();

    public DevCaFixture()
    {
        Authority = DevCertificateAuthority.EnsureCreated(CaDirectory, CrlUrl, RootCrlUrl);
    }

    public string CaDirectory => System.IO.Path.Combine(_directory.Path, "ca");

    public CertificateAuthority Authority { get; }

    public string RootPem => System.IO.Path.Combine(CaDirectory, CaFiles.RootCertificate);

    public string IntermediatePem => System.IO.Path.Combine(CaDirectory, CaFiles.IntermediateCertificate);

    public void Dispose()
    {
        Authority.Dispose();
        _directory.Dispose();
    }
}
