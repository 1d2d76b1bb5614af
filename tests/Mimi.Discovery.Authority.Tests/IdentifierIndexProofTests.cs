using System.Security.Cryptography.X509Certificates;
using Mimi.Discovery.Authority.Tests.Support;

namespace Mimi.Discovery.Authority.Tests;

/// <summary>
/// The identifier index proof extension (docs/accountability.md §3): non-critical, <c>SEQUENCE { OCTET STRING (8),
/// OCTET STRING (81) }</c>, accepted by strict X.509 verification, and read back exactly or not at all.
/// </summary>
public sealed class IdentifierIndexProofTests(DevCaFixture ca) : IClassFixture<DevCaFixture>, IDisposable
{
    private const string Ssi = "mimi://beta.test/u/bob";
    private static readonly IdentifierIndexProof Proof = new("0123456789abcdef", [.. Enumerable.Range(0, 81).Select(i => (byte)(i * 3))]);
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void A_credential_with_the_proof_passes_strict_verification_and_carries_it_non_critical()
    {
        var now = DateTimeOffset.UtcNow;
        var issued = ca.Authority.Issue(new CredentialRequest(TestKeys.P256SubjectPublicKeyInfo(), Ssi, "tel:+15550001111", now.AddMinutes(-1), now.AddDays(1))
        {
            IndexProof = Proof,
        });
        var leaf = _work.File("leaf.pem");
        File.WriteAllText(leaf, issued.Pem);

        var verify = ExternalTool.OpenSsl(_work.Path, "verify", "-x509_strict", "-CAfile", ca.RootPem, "-untrusted", ca.IntermediatePem, leaf);
        var certificate = X509CertificateLoader.LoadCertificate(issued.Der);
        var extension = certificate.Extensions[AuthorityOids.IdentifierIndexProof];

        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.NotNull(extension);
        Assert.False(extension.Critical);
        Assert.Equal(Proof.KeyId, IdentifierIndexProof.Find(certificate)!.KeyId);
        Assert.Equal(Proof.Proof, IdentifierIndexProof.Find(certificate)!.Proof);
        // OpenSSL reads the value as the two octet strings, the key id first.
        var der = _work.File("extension.der");
        File.WriteAllBytes(der, extension.RawData);
        var parsed = ExternalTool.OpenSsl(_work.Path, "asn1parse", "-inform", "DER", "-in", der);
        Assert.True(parsed.ExitCode == 0, parsed.Output);
        Assert.Contains("[HEX DUMP]:0123456789ABCDEF", parsed.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, parsed.Stdout.Split("OCTET STRING").Length - 1);
    }

    [Fact]
    public void A_credential_without_a_proof_has_no_extension()
    {
        var now = DateTimeOffset.UtcNow;
        var issued = ca.Authority.Issue(new CredentialRequest(TestKeys.P256SubjectPublicKeyInfo(), Ssi, "tel:+15550001111", now.AddMinutes(-1), now.AddDays(1)));

        Assert.Null(IdentifierIndexProof.Find(X509CertificateLoader.LoadCertificate(issued.Der)));
    }

    [Theory]
    [InlineData("3053040801234567")]                                 // cut short
    [InlineData("300A0408012345670000000004000000")]                 // proof too short
    [InlineData("04080123456789ABCDEF")]                             // not a sequence
    public void Malformed_values_are_refused(string hex) =>
        Assert.False(IdentifierIndexProof.TryDecode(Convert.FromHexString(hex), out _));

    [Fact]
    public void Trailing_bytes_or_a_wrong_key_id_length_are_refused()
    {
        var valid = Proof.Encode();

        Assert.True(IdentifierIndexProof.TryDecode(valid, out var decoded));
        Assert.Equal(Proof.Proof, decoded.Proof);
        Assert.False(IdentifierIndexProof.TryDecode([.. valid, 0], out _));
        Assert.Throws<ArgumentException>(() => new IdentifierIndexProof("0123", Proof.Proof).Encode());
    }

    [Fact]
    public void Random_and_mutated_values_decode_exactly_or_not_at_all()
    {
        const int seed = 20_261_207;
        var random = new Random(seed);
        var valid = Proof.Encode();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(0, 120)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                }

                input = input[..random.Next(input.Length / 2, input.Length + 1)];
            }

            var ok = IdentifierIndexProof.TryDecode(input, out var decoded);
            Assert.True(!ok || decoded!.Encode().AsSpan().SequenceEqual(input), $"iteration {i} (seed {seed}): {Convert.ToHexString(input)}");
        }
    }
}
