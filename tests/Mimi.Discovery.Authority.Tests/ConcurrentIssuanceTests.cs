using System.Collections.Concurrent;
using Mimi.Discovery.Authority.Tests.Support;
using Org.BouncyCastle.X509;

namespace Mimi.Discovery.Authority.Tests;

/// <summary>
/// The CA and the assertion signer are shared by every request thread. (Issuance speed is measured in
/// bench/, not here.)
/// </summary>
public sealed class ConcurrentIssuanceTests(DevCaFixture ca) : IClassFixture<DevCaFixture>
{
    [Fact]
    public void Concurrent_issuance_from_several_threads_yields_distinct_correctly_signed_credentials()
    {
        using var ring = MappingAssertionKeyRing.Generate();
        var signer = new MappingAssertionSigner("https://authority.example.test", ring);
        using var verifier = new MappingAssertionVerifier(ring.Jwks, "https://authority.example.test");
        var now = DateTimeOffset.UtcNow;
        var results = new ConcurrentBag<(IssuedCredential Credential, string Token)>();
        var threads = Math.Max(2, Environment.ProcessorCount);

        Parallel.For(0, threads * 500, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var credential = ca.Authority.Issue(new CredentialRequest(TestKeys.P256SubjectPublicKeyInfo(), "mimi://beta.test/u/bob", "tel:+15550001111", now, now.AddDays(1)));
            var token = signer.Sign(new MappingAssertionClaims("tel:+15550001111", "mimi://beta.test/u/bob", "beta.test", [], now, now.AddDays(1), i, credential.SerialHex));
            results.Add((credential, token));
        });

        var issuerKey = new X509Certificate(ca.Authority.IssuerCertificate).GetPublicKey();
        Assert.Equal(results.Count, results.Select(r => r.Credential.SerialHex).Distinct().Count());
        foreach (var (credential, token) in results)
        {
            new X509Certificate(credential.Der).Verify(issuerKey);
            Assert.True(verifier.Verify(token, now).IsValid);
        }
    }
}
