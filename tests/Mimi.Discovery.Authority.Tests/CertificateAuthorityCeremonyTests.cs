using Mimi.Discovery.Authority.Tests.Support;

namespace Mimi.Discovery.Authority.Tests;

public sealed class CertificateAuthorityCeremonyTests : IDisposable
{
    private static readonly Uri RootCrlUrl = new("https://pki.example.test/root.crl");
    private static readonly Uri CrlUrl = new("https://authority.example.test/ca/crl");
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private string Offline => _work.File("offline");

    private string Service => _work.File("service");

    [Fact]
    public void Root_is_self_signed_ca_with_pathlen_1_critical_key_usage_ski_and_policy_and_no_name_constraints()
    {
        var info = CertificateAuthorityCeremony.CreateRoot(Offline, "CN=Example Root, O=Example", 20);

        var text = ExternalTool.OpenSsl(Offline, "x509", "-in", "root.pem", "-noout", "-text").Stdout;

        Assert.Contains("Issuer: O = Example, CN = Example Root", text, StringComparison.Ordinal);
        Assert.Contains("Subject: O = Example, CN = Example Root", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:1", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Subject Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("Policy: " + AuthorityOids.CredentialPolicy, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Name Constraints", text, StringComparison.Ordinal);
        Assert.Contains("ASN1 OID: prime256v1", text, StringComparison.Ordinal);
        Assert.Equal("CN=Example Root, O=Example", info.Subject);
        Assert.InRange((info.NotAfter - info.NotBefore).TotalDays, 20 * 365, (20 * 366) + 1);
        var fingerprint = ExternalTool.OpenSsl(Offline, "x509", "-in", "root.pem", "-noout", "-fingerprint", "-sha256").Stdout;
        Assert.Contains(info.Sha256Fingerprint, fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void Intermediate_is_signed_by_the_root_with_pathlen_0_aki_policy_and_crl_distribution_point()
    {
        CertificateAuthorityCeremony.CreateRoot(Offline, "CN=Example Root", 20);
        var info = CertificateAuthorityCeremony.CreateIntermediate(Offline, Service, "CN=Example Issuing CA 2031", 365, RootCrlUrl);

        var text = ExternalTool.OpenSsl(Service, "x509", "-in", "intermediate.pem", "-noout", "-text").Stdout;
        var verify = ExternalTool.OpenSsl(Service, "verify", "-x509_strict", "-CAfile", Path.Combine(Offline, "root.pem"), "intermediate.pem");

        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("Issuer: CN = Example Root", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Authority Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("Policy: " + AuthorityOids.CredentialPolicy, text, StringComparison.Ordinal);
        Assert.Contains("URI:" + RootCrlUrl.AbsoluteUri, text, StringComparison.Ordinal);
        Assert.InRange((info.NotAfter - info.NotBefore).TotalDays, 365, 366);
    }

    [Fact]
    public void Ceremony_moves_only_the_intermediate_key_to_the_service_and_the_published_chain_verifies_credentials()
    {
        CertificateAuthorityCeremony.CreateRoot(Offline, "CN=Example Root", 20);
        CertificateAuthorityCeremony.CreateIntermediate(Offline, Service, "CN=Example Issuing CA", 365, RootCrlUrl);
        CertificateAuthorityCeremony.CreateRootCrl(Offline, [], 30, 1);

        using var authority = CertificateAuthority.Load(Service, CrlUrl);
        var now = DateTimeOffset.UtcNow;
        var credential = authority.Issue(new CredentialRequest(
            TestKeys.Ed25519SubjectPublicKeyInfo(), "mimi://beta.test/u/bob", "tel:+15550001111", now.AddMinutes(-1), now.AddHours(1)));
        File.WriteAllText(_work.File("leaf.pem"), credential.Pem);
        File.WriteAllText(_work.File("leaf.crl"), authority.CreateCrl([], now, now.AddHours(1), 1).Pem);

        Assert.Equal(
            ["chain.pem", "intermediate.key", "intermediate.pem", "root.pem"],
            Directory.GetFiles(Service).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(Service, "chain.pem")), authority.ChainPem);
        var strict = ExternalTool.OpenSsl(_work.Path, "verify", "-x509_strict", "-CAfile", Path.Combine(Service, "root.pem"), "-untrusted", Path.Combine(Service, "chain.pem"), "leaf.pem");
        Assert.True(strict.ExitCode == 0, strict.Output);
        var allCrls = ExternalTool.OpenSsl(
            _work.Path, "verify", "-x509_strict", "-crl_check_all", "-CRLfile", "leaf.crl", "-CRLfile", Path.Combine(Offline, "root.crl"),
            "-CAfile", Path.Combine(Offline, "root.pem"), "-untrusted", Path.Combine(Service, "intermediate.pem"), "leaf.pem");
        Assert.True(allCrls.ExitCode == 0, allCrls.Output);
    }

    [Fact]
    public void Ceremony_never_overwrites_an_existing_root()
    {
        CertificateAuthorityCeremony.CreateRoot(Offline, "CN=Example Root", 20);
        var original = File.ReadAllBytes(Path.Combine(Offline, "root.key"));

        var error = Assert.Throws<IOException>(() => CertificateAuthorityCeremony.CreateRoot(Offline, "CN=Other Root", 20));

        Assert.Contains("root.pem", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(Offline, "root.key")));
    }

    [Fact]
    public void Intermediate_is_refused_when_the_root_key_is_readable_by_others()
    {
        CertificateAuthorityCeremony.CreateRoot(Offline, "CN=Example Root", 20);
        File.SetUnixFileMode(Path.Combine(Offline, "root.key"), (UnixFileMode)0b110_100_100);

        var error = Assert.Throws<InsecureKeyFileException>(
            () => CertificateAuthorityCeremony.CreateIntermediate(Offline, Service, "CN=Example Issuing CA", 365, RootCrlUrl));

        Assert.Contains(Path.Combine(Offline, "root.key"), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Service, "intermediate.pem")));
    }

    [Fact]
    public void Dev_ca_is_created_on_first_run_and_loaded_unchanged_on_later_runs()
    {
        var directory = _work.File("dev");
        byte[] firstRoot;
        using (var first = DevCertificateAuthority.EnsureCreated(directory, CrlUrl, RootCrlUrl))
        {
            firstRoot = first.RootCertificate;
        }

        var intermediateBefore = File.ReadAllBytes(Path.Combine(directory, "intermediate.pem"));
        using var second = DevCertificateAuthority.EnsureCreated(directory, CrlUrl, RootCrlUrl);

        Assert.Equal(firstRoot, second.RootCertificate);
        Assert.Equal(intermediateBefore, File.ReadAllBytes(Path.Combine(directory, "intermediate.pem")));
        Assert.Equal(
            ["chain.pem", "intermediate.key", "intermediate.pem", "root.crl", "root.key", "root.pem"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(KeyFiles.KeyDirectoryMode, File.GetUnixFileMode(directory));
    }

    [Fact]
    public void Loading_refuses_a_key_that_does_not_match_the_certificate()
    {
        CertificateAuthorityCeremony.CreateRoot(Offline, "CN=Example Root", 20);
        CertificateAuthorityCeremony.CreateIntermediate(Offline, Service, "CN=Example Issuing CA", 365, RootCrlUrl);
        File.Delete(Path.Combine(Service, "intermediate.key"));
        File.Copy(Path.Combine(Offline, "root.key"), Path.Combine(Service, "intermediate.key"));

        Assert.Throws<ArgumentException>(() => CertificateAuthority.Load(Service, CrlUrl));
    }
}
