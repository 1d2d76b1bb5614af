using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>SignWithLabel against VerifyWithLabel for every implemented signature scheme (ts-mls checks the other direction in the delivery tests).</summary>
public sealed class MlsSignatureTests
{
    public static TheoryData<MlsCipherSuite> Suites() =>
    [
        MlsCipherSuite.X25519Aes128GcmSha256Ed25519, MlsCipherSuite.P256Aes128GcmSha256P256, MlsCipherSuite.X448Aes256GcmSha512Ed448,
        MlsCipherSuite.P521Aes256GcmSha512P521, MlsCipherSuite.P384Aes256GcmSha384P384,
    ];

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_signature_with_label_verifies_with_that_label_and_content_only(MlsCipherSuite suite)
    {
        var (privateKey, publicKey) = NewKey(suite);
        var content = "KeyMaterialRequestTBS bytes"u8.ToArray();

        var signature = MlsSignature.SignWithLabel(suite, privateKey, "KeyMaterialRequestTBS", content);

        Assert.Equal(MlsSignatureCheck.Valid, MlsSignature.VerifyWithLabel(suite, publicKey, "KeyMaterialRequestTBS", content, signature));
        Assert.Equal(MlsSignatureCheck.Invalid, MlsSignature.VerifyWithLabel(suite, publicKey, "LeafNodeTBS", content, signature));
        content[0] ^= 1;
        Assert.Equal(MlsSignatureCheck.Invalid, MlsSignature.VerifyWithLabel(suite, publicKey, "KeyMaterialRequestTBS", content, signature));
    }

    [Fact]
    public void A_key_of_another_size_or_an_unknown_suite_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MlsSignature.SignWithLabel(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, new byte[31], "L", []));
        Assert.Throws<ArgumentException>(() => MlsSignature.SignWithLabel(MlsCipherSuite.P256Aes128GcmSha256P256, new byte[32], "L", []));
        Assert.Throws<NotSupportedException>(() => MlsSignature.SignWithLabel((MlsCipherSuite)0x00FF, new byte[32], "L", []));
    }

    private static (byte[] Private, byte[] Public) NewKey(MlsCipherSuite suite) => suite switch
    {
        MlsCipherSuite.X25519Aes128GcmSha256Ed25519 => EdwardsKey(Ed25519.SecretKeySize, Ed25519.PublicKeySize, Ed25519.GeneratePublicKey),
        MlsCipherSuite.X448Aes256GcmSha512Ed448 => EdwardsKey(Ed448.SecretKeySize, Ed448.PublicKeySize, Ed448.GeneratePublicKey),
        MlsCipherSuite.P256Aes128GcmSha256P256 => EcdsaKey(ECCurve.NamedCurves.nistP256),
        MlsCipherSuite.P384Aes256GcmSha384P384 => EcdsaKey(ECCurve.NamedCurves.nistP384),
        _ => EcdsaKey(ECCurve.NamedCurves.nistP521),
    };

    private static (byte[] Private, byte[] Public) EdwardsKey(int privateSize, int publicSize, Action<byte[], int, byte[], int> derive)
    {
        var key = RandomNumberGenerator.GetBytes(privateSize);
        var pub = new byte[publicSize];
        derive(key, 0, pub, 0);
        return (key, pub);
    }

    // MLS encodes an ECDSA public key as the uncompressed SEC1 point.
    private static (byte[] Private, byte[] Public) EcdsaKey(ECCurve curve)
    {
        using var ecdsa = ECDsa.Create(curve);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
        return (parameters.D!, [0x04, .. parameters.Q.X!, .. parameters.Q.Y!]);
    }
}
