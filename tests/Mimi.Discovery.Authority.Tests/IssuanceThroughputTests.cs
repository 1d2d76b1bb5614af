using System.Collections.Concurrent;
using System.Diagnostics;
using Mimi.Discovery.Authority.Tests.Support;
using Org.BouncyCastle.X509;
using Xunit.Abstractions;

namespace Mimi.Discovery.Authority.Tests;

/// <summary>
/// Issuance sits on the enrolment path: a credential plus its mapping assertion must stay far below
/// a millisecond. The budget asserted here is loose enough for a shared CI core and a Debug build;
/// the measured rate is written to the test output.
/// </summary>
public sealed class IssuanceThroughputTests(DevCaFixture ca, ITestOutputHelper output) : IClassFixture<DevCaFixture>
{
    private const int Iterations = 2000;

    [Fact]
    public void Credential_and_assertion_issuance_stays_well_under_a_millisecond_per_core()
    {
        using var ring = MappingAssertionKeyRing.Generate();
        var signer = new MappingAssertionSigner("https://authority.example.test", ring);
        var subjectKey = TestKeys.P256SubjectPublicKeyInfo();
        var now = DateTimeOffset.UtcNow;
        string[] tags = ["work"];

        void IssueOne(int i)
        {
            var credential = ca.Authority.Issue(new CredentialRequest(subjectKey, "mimi://beta.test/u/bob", "tel:+15550001111", now, now.AddDays(1)));
            signer.Sign(new MappingAssertionClaims("tel:+15550001111", "mimi://beta.test/u/bob", "beta.test", tags, now, now.AddDays(1), i, credential.SerialHex));
        }

        for (var i = 0; i < 200; i++)
        {
            IssueOne(i);
        }

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            IssueOne(i);
        }

        stopwatch.Stop();
        var perIssuance = stopwatch.Elapsed / Iterations;
        output.WriteLine($"credential + assertion: {perIssuance.TotalMicroseconds:F1} µs each, {Iterations / stopwatch.Elapsed.TotalSeconds:F0}/s on one thread");

        Assert.True(perIssuance < TimeSpan.FromMilliseconds(1), $"{perIssuance.TotalMicroseconds:F0} µs per credential + assertion");
    }

    [Fact]
    public void Concurrent_issuance_from_several_threads_yields_distinct_correctly_signed_credentials()
    {
        using var ring = MappingAssertionKeyRing.Generate();
        var signer = new MappingAssertionSigner("https://authority.example.test", ring);
        using var verifier = new MappingAssertionVerifier(ring.Jwks, "https://authority.example.test");
        var now = DateTimeOffset.UtcNow;
        var results = new ConcurrentBag<(IssuedCredential Credential, string Token)>();
        var threads = Math.Max(2, Environment.ProcessorCount);
        var stopwatch = Stopwatch.StartNew();

        Parallel.For(0, threads * 500, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var credential = ca.Authority.Issue(new CredentialRequest(TestKeys.P256SubjectPublicKeyInfo(), "mimi://beta.test/u/bob", "tel:+15550001111", now, now.AddDays(1)));
            var token = signer.Sign(new MappingAssertionClaims("tel:+15550001111", "mimi://beta.test/u/bob", "beta.test", [], now, now.AddDays(1), i, credential.SerialHex));
            results.Add((credential, token));
        });

        stopwatch.Stop();
        output.WriteLine($"{results.Count} credentials + assertions on {threads} threads (key generation included) in {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        var issuerKey = new X509Certificate(ca.Authority.IssuerCertificate).GetPublicKey();
        Assert.Equal(results.Count, results.Select(r => r.Credential.SerialHex).Distinct().Count());
        foreach (var (credential, token) in results)
        {
            new X509Certificate(credential.Der).Verify(issuerKey);
            Assert.True(verifier.Verify(token, now).IsValid);
        }
    }
}
