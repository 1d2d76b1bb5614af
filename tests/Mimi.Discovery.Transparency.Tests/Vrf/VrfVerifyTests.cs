using System.Text;
using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Transparency.Tests.Vrf;

/// <summary>Proofs made here verify, and every kind of wrong proof, input or key is refused without an exception.</summary>
public sealed class VrfVerifyTests
{
    private static readonly byte[] Alpha = Encoding.UTF8.GetBytes("tel:+15550001111");

    private static readonly BigInteger Order = Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("P-256").N;

    [Fact]
    public void A_fresh_proof_verifies_and_its_output_equals_evaluate_and_proof_to_hash()
    {
        using var key = VrfPrivateKey.Generate();
        var proof = key.Prove(Alpha);
        var verified = new byte[EcVrf.OutputLength];
        var hashed = new byte[EcVrf.OutputLength];

        Assert.Equal(EcVrf.ProofLength, proof.Length);
        Assert.True(key.PublicKey.Verify(Alpha, proof, verified));
        Assert.True(EcVrf.TryProofToHash(proof, hashed));
        Assert.Equal(key.Evaluate(Alpha), verified);
        Assert.Equal(verified, hashed);
        Assert.Equal(proof, key.Prove(Alpha));
    }

    [Fact]
    public void Different_inputs_and_different_keys_give_different_outputs()
    {
        using var key = VrfPrivateKey.Generate();
        using var other = VrfPrivateKey.Generate();

        Assert.NotEqual(key.Evaluate(Alpha), key.Evaluate(Encoding.UTF8.GetBytes("tel:+15550001112")));
        Assert.NotEqual(key.Evaluate(Alpha), other.Evaluate(Alpha));
    }

    [Fact]
    public void A_proof_with_any_single_bit_flipped_does_not_verify()
    {
        using var key = VrfPrivateKey.Generate();
        var proof = key.Prove(Alpha);
        var beta = new byte[EcVrf.OutputLength];

        for (var bit = 0; bit < proof.Length * 8; bit++)
        {
            var flipped = (byte[])proof.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(key.PublicKey.Verify(Alpha, flipped, beta), $"bit {bit} flipped still verifies");
        }
    }

    [Fact]
    public void A_proof_does_not_verify_for_another_input_or_under_another_key()
    {
        using var key = VrfPrivateKey.Generate();
        using var other = VrfPrivateKey.Generate();
        var proof = key.Prove(Alpha);
        var beta = new byte[EcVrf.OutputLength];

        Assert.False(key.PublicKey.Verify(Encoding.UTF8.GetBytes("tel:+15550001112"), proof, beta));
        Assert.False(key.PublicKey.Verify([], proof, beta));
        Assert.False(other.PublicKey.Verify(Alpha, proof, beta));
    }

    [Fact]
    public void An_s_not_below_the_group_order_is_malformed()
    {
        using var key = VrfPrivateKey.Generate();
        var proof = key.Prove(Alpha);
        var beta = new byte[EcVrf.OutputLength];
        var sOffset = EcVrf.ProofLength - 32;

        foreach (var s in new[] { Order, Order.Add(BigInteger.One), BigInteger.One.ShiftLeft(256).Subtract(BigInteger.One) })
        {
            var bad = (byte[])proof.Clone();
            Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(s, bad.AsSpan(sOffset));

            Assert.False(EcVrf.TryProofToHash(bad, beta), $"s = {s} accepted by proof_to_hash");
            Assert.False(key.PublicKey.Verify(Alpha, bad, beta), $"s = {s} verified");
        }

        // The largest canonical s is well formed (it does not verify, but decode_proof accepts it).
        var largest = (byte[])proof.Clone();
        Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(Order.Subtract(BigInteger.One), largest.AsSpan(sOffset));
        Assert.True(EcVrf.TryProofToHash(largest, beta));
    }

    [Fact]
    public void A_Gamma_that_is_not_a_curve_point_is_malformed()
    {
        using var key = VrfPrivateKey.Generate();
        var proof = key.Prove(Alpha);
        var beta = new byte[EcVrf.OutputLength];

        var offCurve = (byte[])proof.Clone();
        OffCurveX().CopyTo(offCurve.AsSpan(1, 32));
        Assert.False(EcVrf.TryProofToHash(offCurve, beta));
        Assert.False(key.PublicKey.Verify(Alpha, offCurve, beta));

        foreach (var prefix in new byte[] { 0x00, 0x01, 0x04, 0x05, 0xff })
        {
            var badPrefix = (byte[])proof.Clone();
            badPrefix[0] = prefix;
            Assert.False(EcVrf.TryProofToHash(badPrefix, beta), $"prefix {prefix:x2} accepted");
            Assert.False(key.PublicKey.Verify(Alpha, badPrefix, beta));
        }

        var beyondPrime = (byte[])proof.Clone();
        beyondPrime.AsSpan(1, 32).Fill(0xff);
        Assert.False(EcVrf.TryProofToHash(beyondPrime, beta));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(80)]
    [InlineData(82)]
    [InlineData(162)]
    public void A_proof_of_the_wrong_length_is_malformed(int length)
    {
        using var key = VrfPrivateKey.Generate();
        var proof = key.Prove(Alpha);
        var resized = new byte[length];
        proof.AsSpan(0, Math.Min(length, proof.Length)).CopyTo(resized);
        var beta = new byte[EcVrf.OutputLength];

        Assert.False(key.PublicKey.Verify(Alpha, resized, beta));
        Assert.False(EcVrf.TryProofToHash(resized, beta));
    }

    [Fact]
    public void Public_keys_parse_only_from_33_byte_compressed_points_on_the_curve()
    {
        using var key = VrfPrivateKey.Generate();
        var encoded = key.PublicKey.Encoded;

        Assert.True(VrfPublicKey.TryParse(encoded, out var parsed));
        Assert.Equal(key.PublicKey.KeyId, parsed.KeyId);
        Assert.Equal(16, parsed.KeyId.Length);

        var offCurve = (byte[])encoded.Clone();
        OffCurveX().CopyTo(offCurve.AsSpan(1));
        var wrongPrefix = (byte[])encoded.Clone();
        wrongPrefix[0] = 0x04;
        var uncompressed = key.PublicKey.Point.GetEncoded(compressed: false);
        byte[][] refused = [[], [0x00], encoded[..32], [.. encoded, 0x00], offCurve, wrongPrefix, uncompressed];
        foreach (var bytes in refused)
        {
            Assert.False(VrfPublicKey.TryParse(bytes, out var none), Convert.ToHexString(bytes));
            Assert.Null(none);
        }
    }

    [Fact]
    public void The_public_encoding_is_a_copy()
    {
        using var key = VrfPrivateKey.Generate();
        var encoded = key.PublicKey.Encoded;
        encoded[5] ^= 1;

        Assert.NotEqual(encoded, key.PublicKey.Encoded);
    }

    [Fact]
    public void A_disposed_key_refuses_to_prove()
    {
        var key = VrfPrivateKey.Generate();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Prove(Alpha));
        Assert.Throws<ObjectDisposedException>(() => key.Evaluate(Alpha));
    }

    [Fact]
    public void A_PEM_that_is_not_a_P256_PKCS8_key_is_refused()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        using var p256 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        Assert.Throws<ArgumentException>(() => VrfPrivateKey.FromPkcs8Pem(p384.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<ArgumentException>(() => VrfPrivateKey.FromPkcs8Pem(p256.ExportSubjectPublicKeyInfoPem()));
        Assert.Throws<ArgumentException>(() => VrfPrivateKey.FromPkcs8Pem("no pem here"));
        using var fromPlatform = VrfPrivateKey.FromPkcs8Pem(p256.ExportPkcs8PrivateKeyPem());
        Assert.Equal(EcVrf.ProofLength, fromPlatform.Prove(Alpha).Length);
    }

    /// <summary>The first x from 1 up for which x³ − 3x + b is not a square mod p: no point has it.</summary>
    private static byte[] OffCurveX()
    {
        var curve = Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("P-256").Curve;
        for (var i = 1; ; i++)
        {
            var x = curve.FromBigInteger(BigInteger.ValueOf(i));
            if (x.Square().Add(curve.A).Multiply(x).Add(curve.B).Sqrt() is null)
            {
                return Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, x.ToBigInteger());
            }
        }
    }
}
