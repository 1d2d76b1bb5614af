using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Oprf.Tests;

public sealed class OprfKeyTests
{
    // The P-256 group order n.
    private const string Order = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

    [Fact]
    public void The_key_id_is_the_first_8_bytes_of_sha256_of_the_public_key_in_hex()
    {
        var key = OprfKeyPair.Generate();

        var expected = Convert.ToHexStringLower(SHA256.HashData(key.PublicKey.ToArray())[..8]);

        Assert.Equal(expected, key.KeyId);
        Assert.Equal(16, key.KeyId.Length);
        Assert.Equal(expected, OprfKeyPair.ComputeKeyId(key.PublicKey));
    }

    [Fact]
    public void An_exported_private_key_imports_to_the_same_key_pair()
    {
        var key = OprfKeyPair.Generate();

        var exported = key.ExportPrivateKey();
        var imported = OprfKeyPair.ImportPrivateKey(exported);

        Assert.Equal(OprfSuite.ScalarLength, exported.Length);
        Assert.True(imported.IsSuccess);
        Assert.Equal(key.PublicKey, imported.Value.PublicKey);
        Assert.Equal(key.KeyId, imported.Value.KeyId);
        Assert.Equal(new OprfServer(OprfMode.Voprf, key).Evaluate("x"u8), new OprfServer(OprfMode.Voprf, imported.Value).Evaluate("x"u8));
    }

    [Fact]
    public void A_small_private_key_exports_with_leading_zeros_and_its_public_key_is_the_generator()
    {
        var one = new byte[OprfSuite.ScalarLength];
        one[^1] = 1;

        var key = OprfKeyPair.ImportPrivateKey(one).Value!;

        Assert.Equal(one, key.ExportPrivateKey());
        Assert.Equal("036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", key.PublicKey.ToString());
    }

    [Fact]
    public void A_private_key_of_zero_or_not_below_the_order_or_of_the_wrong_length_is_refused()
    {
        Assert.Equal(OprfStatus.InvalidEncoding, OprfKeyPair.ImportPrivateKey(new byte[OprfSuite.ScalarLength]).Status);
        Assert.Equal(OprfStatus.InvalidEncoding, OprfKeyPair.ImportPrivateKey(Convert.FromHexString(Order)).Status);
        Assert.Equal(OprfStatus.InvalidLength, OprfKeyPair.ImportPrivateKey(new byte[31]).Status);
        Assert.Equal(OprfStatus.InvalidLength, OprfKeyPair.ImportPrivateKey(new byte[33]).Status);
    }

    [Fact]
    public void Derivation_is_deterministic_and_separated_by_mode_and_info()
    {
        var seed = RandomNumberGenerator.GetBytes(OprfSuite.SeedLength);

        var a = OprfKeyPair.Derive(OprfMode.Voprf, seed, "2025-01"u8);

        Assert.Equal(a.KeyId, OprfKeyPair.Derive(OprfMode.Voprf, seed, "2025-01"u8).KeyId);
        Assert.NotEqual(a.KeyId, OprfKeyPair.Derive(OprfMode.Oprf, seed, "2025-01"u8).KeyId);
        Assert.NotEqual(a.KeyId, OprfKeyPair.Derive(OprfMode.Voprf, seed, "2025-02"u8).KeyId);
        Assert.Throws<ArgumentException>(() => OprfKeyPair.Derive(OprfMode.Voprf, seed.AsSpan(1), "x"u8));
    }

    [Fact]
    public void Rotation_keeps_the_replaced_key_as_previous_and_drops_the_one_before()
    {
        var first = OprfKeyPair.Generate();
        var second = OprfKeyPair.Generate();
        var third = OprfKeyPair.Generate();

        var ring = new OprfKeyRing(first).Rotate(second);

        Assert.Same(second, ring.Current);
        Assert.Same(first, ring.Previous);
        Assert.True(ring.TryGet(first.KeyId, out var found));
        Assert.Same(first, found);

        ring = ring.Rotate(third);

        Assert.True(ring.TryGet(second.KeyId, out found));
        Assert.Same(second, found);
        Assert.False(ring.TryGet(first.KeyId, out found));
        Assert.Null(found);
        Assert.Null(ring.Retire().Previous);
        Assert.False(ring.Retire().TryGet(second.KeyId, out _));
    }

    [Fact]
    public void A_ring_refuses_the_same_key_as_current_and_previous()
    {
        var key = OprfKeyPair.Generate();

        Assert.Throws<ArgumentException>(() => new OprfKeyRing(key).Rotate(OprfKeyPair.ImportPrivateKey(key.ExportPrivateKey()).Value!));
    }

    [Fact]
    public void Multiplying_by_a_lifted_secret_scalar_gives_the_same_point()
    {
        for (var i = 0; i < 20; i++)
        {
            var k = new BigInteger(1, RandomNumberGenerator.GetBytes(i == 0 ? 1 : 32)).Mod(P256.Order);
            var point = P256.MultiplyGenerator(new BigInteger(1, RandomNumberGenerator.GetBytes(32)).Mod(P256.Order));

            Assert.Equal(point.Multiply(k).Normalize(), P256.MultiplySecret(point, k).Normalize());
        }
    }
}
