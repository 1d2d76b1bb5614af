using System.Security.Cryptography;
using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests.Vrf;

/// <summary>RFC 9381 Appendix B.1, every ECVRF-P256-SHA256-TAI example, step by step.</summary>
public sealed class Rfc9381VectorTests
{
    public static TheoryData<Rfc9381Vector> Vectors => Rfc9381Vector.All;

    [Fact]
    public void The_vector_file_holds_the_three_examples_of_the_suite()
    {
        Assert.Equal(["Example 10", "Example 11", "Example 12"], Vectors.Cast<object[]>().Select(row => ((Rfc9381Vector)row[0]).Name));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_secret_key_gives_the_vector_public_key(Rfc9381Vector vector)
    {
        using var key = VrfPrivateKey.FromScalar(vector.SecretKey);

        Assert.Equal(Hex(vector.PublicKey), Hex(key.PublicKey.Encoded));
        Assert.Equal(Hex(SHA256.HashData(vector.PublicKey).AsSpan(0, 8).ToArray()), key.PublicKey.KeyId);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encode_to_curve_nonce_and_commitments_are_the_vector_values(Rfc9381Vector vector)
    {
        using var key = VrfPrivateKey.FromScalar(vector.SecretKey);

        var h = EcVrf.EncodeToCurve(vector.PublicKey, vector.Alpha)!;
        Assert.Equal(Hex(vector.H), Hex(Point(h)));

        var k = VrfPrivateKey.Nonce(key.Scalar, vector.H);
        Assert.Equal(Hex(vector.K), Hex(k.ToByteArrayUnsigned()));
        Assert.Equal(Hex(vector.U), Hex(Point(VrfCurve.TimesGenerator(k))));
        Assert.Equal(Hex(vector.V), Hex(Point(VrfCurve.TimesSecret(h, k))));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Prove_gives_the_vector_proof_and_its_hash_the_vector_output(Rfc9381Vector vector)
    {
        using var key = VrfPrivateKey.FromScalar(vector.SecretKey);

        var proof = key.Prove(vector.Alpha);

        Assert.Equal(Hex(vector.Pi), Hex(proof));
        var beta = new byte[EcVrf.OutputLength];
        Assert.True(EcVrf.TryProofToHash(proof, beta));
        Assert.Equal(Hex(vector.Beta), Hex(beta));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Evaluate_without_a_proof_gives_the_vector_output(Rfc9381Vector vector)
    {
        using var key = VrfPrivateKey.FromScalar(vector.SecretKey);

        Assert.Equal(Hex(vector.Beta), Hex(key.Evaluate(vector.Alpha)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_vector_proof_verifies_under_the_vector_public_key_with_the_vector_output(Rfc9381Vector vector)
    {
        Assert.True(VrfPublicKey.TryParse(vector.PublicKey, out var publicKey));
        var beta = new byte[EcVrf.OutputLength];

        Assert.True(publicKey.Verify(vector.Alpha, vector.Pi, beta));
        Assert.Equal(Hex(vector.Beta), Hex(beta));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void A_PKCS8_key_written_by_the_platform_from_the_vector_scalar_reads_as_the_vector_key(Rfc9381Vector vector)
    {
        Assert.True(VrfPublicKey.TryParse(vector.PublicKey, out var publicKey));
        var point = Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("P-256").Curve.DecodePoint(vector.PublicKey).Normalize();
        using var platform = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = vector.SecretKey,
            Q = new System.Security.Cryptography.ECPoint { X = point.AffineXCoord.GetEncoded(), Y = point.AffineYCoord.GetEncoded() },
        });

        using var key = VrfPrivateKey.FromPkcs8Pem(platform.ExportPkcs8PrivateKeyPem());

        Assert.Equal(publicKey.KeyId, key.PublicKey.KeyId);
        Assert.Equal(Hex(vector.Pi), Hex(key.Prove(vector.Alpha)));
        using var again = VrfPrivateKey.FromPkcs8Pem(key.ToPkcs8Pem());
        Assert.Equal(Hex(vector.Pi), Hex(again.Prove(vector.Alpha)));
    }

    private static byte[] Point(Org.BouncyCastle.Math.EC.ECPoint point) => point.Normalize().GetEncoded(compressed: true);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
