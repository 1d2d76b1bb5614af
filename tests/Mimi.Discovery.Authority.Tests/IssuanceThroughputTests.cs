using System.Diagnostics;
using Mimi.Discovery.Authority.Tests.Support;
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
}
