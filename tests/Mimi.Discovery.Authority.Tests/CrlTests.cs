using Mimi.Discovery.Authority.Tests.Support;

namespace Mimi.Discovery.Authority.Tests;

public sealed class CrlTests(DevCaFixture ca) : IClassFixture<DevCaFixture>, IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Credential_passes_crl_check_until_its_serial_is_listed_then_fails_with_error_23()
    {
        var now = DateTimeOffset.UtcNow;
        var credential = ca.Authority.Issue(new CredentialRequest(
            TestKeys.P256SubjectPublicKeyInfo(), "mimi://beta.test/u/bob", "tel:+15550001111", now.AddMinutes(-1), now.AddDays(1)));
        File.WriteAllText(_work.File("leaf.pem"), credential.Pem);
        var other = ca.Authority.Issue(new CredentialRequest(
            TestKeys.P256SubjectPublicKeyInfo(), "mimi://beta.test/u/eve", "im:eve@beta.test", now.AddMinutes(-1), now.AddDays(1)));

        File.WriteAllText(_work.File("before.crl"), ca.Authority.CreateCrl([new RevokedCredential(other.SerialHex, now)], now, now.AddHours(1), 1).Pem);
        var before = VerifyWithCrl("before.crl");
        File.WriteAllText(_work.File("after.crl"), ca.Authority.CreateCrl(
            [new RevokedCredential(other.SerialHex, now), new RevokedCredential(credential.SerialHex, now, RevocationReason.KeyCompromise)],
            now,
            now.AddHours(1),
            2).Pem);
        var after = VerifyWithCrl("after.crl");

        Assert.True(before.ExitCode == 0, before.Output);
        Assert.NotEqual(0, after.ExitCode);
        Assert.Contains("error 23 at 0 depth lookup: certificate revoked", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Crl_names_the_issuer_and_carries_aki_crl_number_and_reason()
    {
        var thisUpdate = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var crl = ca.Authority.CreateCrl(
            [new RevokedCredential("0a1b2c", thisUpdate.AddMinutes(-5), RevocationReason.Superseded), new RevokedCredential("0d0e", thisUpdate)],
            thisUpdate,
            thisUpdate.AddDays(1),
            42);
        File.WriteAllText(_work.File("crl.pem"), crl.Pem);

        var text = ExternalTool.OpenSsl(_work.Path, "crl", "-in", "crl.pem", "-noout", "-text").Stdout;

        Assert.Contains("Issuer: O = Mimi.Discovery, CN = Mimi.Discovery Development Issuing CA", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Authority Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 CRL Number: \n                42", text, StringComparison.Ordinal);
        Assert.Contains("Last Update: May  6 07:08:09 2031 GMT", text, StringComparison.Ordinal);
        Assert.Contains("Next Update: May  7 07:08:09 2031 GMT", text, StringComparison.Ordinal);
        Assert.Contains("Serial Number: 0A1B2C", text, StringComparison.Ordinal);
        Assert.Contains("Superseded", text, StringComparison.Ordinal);
        Assert.Contains("Serial Number: 0D0E", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOccurrences(text, "CRL Reason Code"));
        Assert.Equal(0, ExternalTool.OpenSsl(_work.Path, "crl", "-in", "crl.pem", "-noout", "-CAfile", ca.IntermediatePem).ExitCode);
    }

    private ToolResult VerifyWithCrl(string crlFile) => ExternalTool.OpenSsl(
        _work.Path, "verify", "-x509_strict", "-crl_check", "-CRLfile", crlFile, "-CAfile", ca.RootPem, "-untrusted", ca.IntermediatePem, "leaf.pem");

    private static int CountOccurrences(string text, string value) => text.Split(value).Length - 1;
}
