using System.Security.Cryptography;
using Mimi.Discovery.Authority.Tests.Support;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Mimi.Discovery.Authority.Tests;

public sealed class CredentialIssuanceTests(DevCaFixture ca) : IClassFixture<DevCaFixture>, IDisposable
{
    private const string Ssi = "mimi://beta.test/u/bob";
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("tel:+15550001111", "P-256")]
    [InlineData("tel:+15550001111", "Ed25519")]
    [InlineData("mailto:bob@beta.test", "P-256")]
    [InlineData("mailto:bob@beta.test", "Ed25519")]
    [InlineData("im:bob@beta.test", "P-256")]
    [InlineData("im:bob@beta.test", "Ed25519")]
    public void Credential_passes_openssl_strict_chain_verification(string sii, string keyType)
    {
        var key = keyType == "P-256" ? TestKeys.P256SubjectPublicKeyInfo() : TestKeys.Ed25519SubjectPublicKeyInfo();
        var leaf = WriteLeaf(Issue(sii, key));

        var result = ExternalTool.OpenSsl(_work.Path, "verify", "-x509_strict", "-CAfile", ca.RootPem, "-untrusted", ca.IntermediatePem, leaf);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"{leaf}: OK", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Chain_satisfies_an_explicit_requirement_for_the_project_policy_and_not_for_another()
    {
        var leaf = WriteLeaf(Issue("im:bob@beta.test"));

        var ours = ExternalTool.OpenSsl(_work.Path, "verify", "-x509_strict", "-explicit_policy", "-policy", AuthorityOids.CredentialPolicy, "-CAfile", ca.RootPem, "-untrusted", ca.IntermediatePem, leaf);
        var other = ExternalTool.OpenSsl(_work.Path, "verify", "-x509_strict", "-explicit_policy", "-policy", AuthorityOids.ProjectArc + ".99", "-CAfile", ca.RootPem, "-untrusted", ca.IntermediatePem, leaf);

        Assert.True(ours.ExitCode == 0, ours.Output);
        Assert.NotEqual(0, other.ExitCode);
    }

    [Fact]
    public void Openssl_shows_ssi_and_sii_uris_and_the_im_uri_eku()
    {
        var leaf = WriteLeaf(Issue("tel:+12025550100"));

        var result = ExternalTool.OpenSsl(_work.Path, "x509", "-in", leaf, "-noout", "-ext", "subjectAltName,extendedKeyUsage");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("X509v3 Subject Alternative Name: critical", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("URI:mimi://beta.test/u/bob, URI:tel:+12025550100", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("X509v3 Extended Key Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1.3.6.1.5.5.7.3.40", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Openssl_text_shows_empty_subject_key_usage_policy_crl_url_and_non_critical_tnauthlist()
    {
        var leaf = WriteLeaf(Issue("tel:+12025550100"));

        var text = ExternalTool.OpenSsl(_work.Path, "x509", "-in", leaf, "-noout", "-text").Stdout;

        Assert.Matches(@"Subject: *\n", text);
        Assert.Contains("X509v3 Key Usage: critical\n                Digital Signature\n", text, StringComparison.Ordinal);
        Assert.Contains("Policy: " + AuthorityOids.CredentialPolicy, text, StringComparison.Ordinal);
        Assert.Contains("URI:" + DevCaFixture.CrlUrl.AbsoluteUri, text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Authority Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("1.3.6.1.5.5.7.1.26: \n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1.3.6.1.5.5.7.1.26: critical", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TnAuthList_holds_the_number_without_plus_under_an_explicit_context_tag_2()
    {
        var leaf = WriteLeaf(Issue("tel:+12025550100"));
        var structure = ExternalTool.OpenSsl(_work.Path, "asn1parse", "-in", leaf).Stdout.Split('\n');
        var oidLine = Array.FindIndex(structure, l => l.Contains(":1.3.6.1.5.5.7.1.26", StringComparison.Ordinal));
        Assert.True(oidLine >= 0, "TNAuthList OID not found in the certificate");
        var octetString = structure[oidLine + 1];
        Assert.Contains("OCTET STRING", octetString, StringComparison.Ordinal);
        var offset = octetString.Split(':')[0].Trim();

        var parsed = ExternalTool.OpenSsl(_work.Path, "asn1parse", "-in", leaf, "-strparse", offset, "-out", "tnauthlist.der");

        Assert.Equal(0, parsed.ExitCode);
        Assert.Contains("cont [ 2 ]", parsed.Stdout, StringComparison.Ordinal);
        Assert.Contains("IA5STRING         :12025550100", parsed.Stdout, StringComparison.Ordinal);
        var expected = Convert.FromHexString("300FA20D160B" + Convert.ToHexString("12025550100"u8));
        Assert.Equal(expected, File.ReadAllBytes(_work.File("tnauthlist.der")));
    }

    [Theory]
    [InlineData("mailto:bob@beta.test")]
    [InlineData("im:bob@beta.test")]
    public void TnAuthList_is_only_added_for_telephone_numbers(string sii)
    {
        var certificate = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(Issue(sii).Der));

        Assert.Null(certificate.TbsCertificate.Extensions.GetExtension(new DerObjectIdentifier(AuthorityOids.TnAuthList)));
        Assert.NotNull(certificate.TbsCertificate.Extensions.GetExtension(X509Extensions.SubjectAlternativeName));
    }

    [Fact]
    public void Subject_key_is_carried_unchanged_so_it_can_equal_the_mls_leaf_node_key()
    {
        var key = TestKeys.Ed25519SubjectPublicKeyInfo();

        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Issue("im:bob@beta.test", key).Der);

        Assert.Equal(key, certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Random_serials_are_positive_at_most_20_octets_and_distinct()
    {
        var serials = Enumerable.Range(0, 50).Select(_ => Issue("im:bob@beta.test")).ToList();

        Assert.Equal(50, serials.Select(s => s.SerialHex).Distinct().Count());
        foreach (var credential in serials)
        {
            var certificate = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(credential.Der));
            Assert.True(certificate.SerialNumber.Value.SignValue > 0);
            Assert.True(certificate.SerialNumber.Value.ToByteArray().Length <= 20);
            Assert.Equal(credential.SerialHex, Convert.ToHexStringLower(certificate.SerialNumber.Value.ToByteArrayUnsigned()));
        }
    }

    [Fact]
    public void Given_serial_and_validity_are_written_as_requested()
    {
        var notBefore = new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        var request = new CredentialRequest(TestKeys.P256SubjectPublicKeyInfo(), Ssi, "im:bob@beta.test", notBefore, notBefore.AddHours(12))
        {
            SerialHex = "00ABCDEF0123",
        };

        var credential = ca.Authority.Issue(request);
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(credential.Der);

        Assert.Equal("abcdef0123", credential.SerialHex);
        // The top bit of 0xAB is set, so the positive INTEGER needs its leading zero octet.
        Assert.Equal("00ABCDEF0123", certificate.SerialNumber);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), credential.NotBefore);
        Assert.Equal(credential.NotBefore.UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(credential.NotAfter.UtcDateTime, certificate.NotAfter.ToUniversalTime());
    }

    [Theory]
    [InlineData("tel:15550001111")]
    [InlineData("tel:+1555000111122223")]
    [InlineData("tel:+1-555-000")]
    [InlineData("sms:+15550001111")]
    [InlineData("mailto:bób@beta.test")]
    [InlineData("im:")]
    public void Unencodable_or_unknown_sii_is_rejected(string sii)
    {
        Assert.Throws<ArgumentException>(() => Issue(sii));
    }

    [Fact]
    public void Serial_longer_than_20_octets_is_rejected()
    {
        var now = DateTimeOffset.UtcNow;
        var request = new CredentialRequest(TestKeys.P256SubjectPublicKeyInfo(), Ssi, "im:bob@beta.test", now, now.AddHours(1))
        {
            SerialHex = "80" + new string('1', 38),
        };

        Assert.Throws<ArgumentException>(() => ca.Authority.Issue(request));
    }

    [Fact]
    public void Subject_keys_other_than_p256_and_ed25519_are_rejected()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        Assert.Throws<ArgumentException>(() => Issue("im:bob@beta.test", p384.ExportSubjectPublicKeyInfo()));
        Assert.Throws<ArgumentException>(() => Issue("im:bob@beta.test", rsa.ExportSubjectPublicKeyInfo()));
        Assert.Throws<ArgumentException>(() => Issue("im:bob@beta.test", [0x30, 0x03, 0x02, 0x01, 0x01]));
    }

    [Fact]
    public void Project_eku_constant_matches_bouncycastle_id_kp_imUri()
    {
        Assert.Equal(AuthorityOids.ImUriKeyPurpose, KeyPurposeID.id_kp_imUri.Id);
    }

    private IssuedCredential Issue(string sii, byte[]? subjectKey = null)
    {
        var now = DateTimeOffset.UtcNow;
        return ca.Authority.Issue(new CredentialRequest(subjectKey ?? TestKeys.P256SubjectPublicKeyInfo(), Ssi, sii, now.AddMinutes(-1), now.AddDays(1)));
    }

    private string WriteLeaf(IssuedCredential credential)
    {
        var path = _work.File(credential.SerialHex + ".pem");
        File.WriteAllText(path, credential.Pem);
        return path;
    }
}
