using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>
/// HPKE (RFC 9180) and SignWithLabel as the hub uses them for the MIMI groupInfo endpoint: the RFC's published vector,
/// and ts-mls (an independent implementation) opening what we seal and verifying what we sign.
/// </summary>
public class MlsHpkeTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private MlsPeer Peer => fixture.Peer;

    // RFC 9180 appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode, sequence number 0.
    private static readonly byte[] Info = Convert.FromHexString("4f6465206f6e2061204772656369616e2055726e");
    private static readonly byte[] SkEm = Convert.FromHexString("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736");
    private static readonly byte[] PkEm = Convert.FromHexString("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431");
    private static readonly byte[] SkRm = Convert.FromHexString("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
    private static readonly byte[] PkRm = Convert.FromHexString("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
    private static readonly byte[] Plaintext = Convert.FromHexString("4265617574792069732074727574682c20747275746820626561757479");
    private static readonly byte[] Aad = Convert.FromHexString("436f756e742d30");
    private static readonly byte[] Ciphertext = Convert.FromHexString("f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a");

    [Fact]
    public void Seal_reproduces_the_rfc_9180_x25519_aes128gcm_vector()
    {
        var (enc, ciphertext) = MlsHpke.Seal(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, PkRm, Info, Aad, Plaintext, SkEm);

        Assert.Equal(PkEm, enc);
        Assert.Equal(Ciphertext, ciphertext);
    }

    [Fact]
    public void Open_reads_the_rfc_9180_vector_and_refuses_a_changed_byte()
    {
        var suite = MlsCipherSuite.X25519Aes128GcmSha256Ed25519;
        Assert.Equal(Plaintext, MlsHpke.Open(suite, SkRm, PkEm, Info, Aad, Ciphertext));

        var tampered = (byte[])Ciphertext.Clone();
        tampered[3] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => MlsHpke.Open(suite, SkRm, PkEm, Info, Aad, tampered));
        Assert.ThrowsAny<CryptographicException>(() => MlsHpke.Open(suite, SkRm, PkEm, "other info"u8, Aad, Ciphertext));
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    [InlineData(MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519)]
    [InlineData(MlsCipherSuite.X448Aes256GcmSha512Ed448)]
    [InlineData(MlsCipherSuite.P521Aes256GcmSha512P521)]
    [InlineData(MlsCipherSuite.P384Aes256GcmSha384P384)]
    public void EncryptWithLabel_round_trips_in_every_suite_and_binds_label_and_context(MlsCipherSuite suite)
    {
        var pair = MlsHpke.GenerateKeyPair(suite);
        var sealedText = MlsHpke.EncryptWithLabel(suite, pair.PublicKey, "GroupInfo and ratchet_tree encryption", "mimi://a.test/r/x"u8, Plaintext);

        Assert.Equal(Plaintext, MlsHpke.DecryptWithLabel(suite, pair.PrivateKey, "GroupInfo and ratchet_tree encryption", "mimi://a.test/r/x"u8, sealedText));
        Assert.ThrowsAny<CryptographicException>(() => MlsHpke.DecryptWithLabel(suite, pair.PrivateKey, "another label", "mimi://a.test/r/x"u8, sealedText));
        Assert.ThrowsAny<CryptographicException>(() => MlsHpke.DecryptWithLabel(suite, pair.PrivateKey, "GroupInfo and ratchet_tree encryption", "mimi://a.test/r/y"u8, sealedText));
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task Ts_mls_opens_what_we_encrypt_with_label(MlsCipherSuite suite)
    {
        var name = MlsPeerFixture.Unique("joiner");
        await Peer.CreateClientAsync(name, "mimi://beta.test/d/joiner", suite);
        var publicKey = await Peer.HpkeKeyPairAsync(name);
        var context = Encoding.UTF8.GetBytes("mimi://alpha.test/r/club");

        var sealedText = MlsHpke.EncryptWithLabel(suite, publicKey, "GroupInfo and ratchet_tree encryption", context, Plaintext);

        Assert.Equal(Plaintext, await Peer.OpenWithLabelAsync(name, "GroupInfo and ratchet_tree encryption", context,
            sealedText.KemOutput.ToArray(), sealedText.Ciphertext.ToArray()));
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    [InlineData(MlsCipherSuite.X448Aes256GcmSha512Ed448)]
    [InlineData(MlsCipherSuite.P384Aes256GcmSha384P384)]
    [InlineData(MlsCipherSuite.P521Aes256GcmSha512P521)]
    public void A_signing_key_from_a_seed_is_stable_and_verifies(MlsCipherSuite suite)
    {
        var seed = RandomNumberGenerator.GetBytes(MlsSigningKey.SeedSize(suite));
        var key = MlsSigningKey.FromSeed(suite, seed);
        var signature = key.SignWithLabel("GroupInfoResponseTBS", "content"u8);

        Assert.Equal(key.PublicKey, MlsSigningKey.FromSeed(suite, seed).PublicKey);
        Assert.Equal(MlsSignatureCheck.Valid, MlsSignature.VerifyWithLabel(suite, key.PublicKey, "GroupInfoResponseTBS", "content"u8, signature));
        Assert.Equal(MlsSignatureCheck.Invalid, MlsSignature.VerifyWithLabel(suite, key.PublicKey, "GroupInfoRequestTBS", "content"u8, signature));
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task We_verify_what_ts_mls_signs_with_label(MlsCipherSuite suite)
    {
        var name = MlsPeerFixture.Unique("signer");
        var publicKey = await Peer.CreateClientAsync(name, "mimi://beta.test/d/signer", suite);

        var signature = await Peer.SignWithLabelAsync(name, "GroupInfoRequestTBS", "request"u8.ToArray());

        Assert.Equal(MlsSignatureCheck.Valid, MlsSignature.VerifyWithLabel(suite, publicKey, "GroupInfoRequestTBS", "request"u8, signature));
        Assert.Equal(MlsSignatureCheck.Invalid, MlsSignature.VerifyWithLabel(suite, publicKey, "GroupInfoRequestTBS", "requests"u8, signature));
    }

    [Fact]
    public async Task The_ratchet_tree_of_a_ts_mls_group_names_its_members_and_loses_a_removed_one()
    {
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        var (alice, bob, carol) = (MlsPeerFixture.Unique("alice"), MlsPeerFixture.Unique("bob"), MlsPeerFixture.Unique("carol"));
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateClientAsync(bob, "mimi://beta.test/d/bob");
        await Peer.CreateClientAsync(carol, "mimi://gamma.test/d/carol");
        await Peer.CreateGroupAsync(alice, room);
        var added = await Peer.AddMemberAsync(alice, room,
            [(await Peer.KeyPackageAsync(bob)).KeyPackage, (await Peer.KeyPackageAsync(carol)).KeyPackage]);

        Assert.Equal(["mimi://alpha.test/d/alice", "mimi://beta.test/d/bob", "mimi://gamma.test/d/carol"], Identities(added.RatchetTree));

        var removed = await Peer.RemoveMemberAsync(alice, room, "mimi://beta.test/d/bob");
        Assert.Equal(["mimi://alpha.test/d/alice", "mimi://gamma.test/d/carol"], Identities(removed.RatchetTree));
        Assert.True(MlsMessage.TryDecode(removed.Commit, out var commit, out _));
        Assert.Equal((MlsWireFormat.PublicMessage, MlsContentType.Commit, 1UL), (commit.WireFormat, commit.ContentType, commit.Epoch));
    }

    private static string[] Identities(byte[] ratchetTreeExtension)
    {
        // The peer gives the extension data: a varint-prefixed vector; the tree reader takes its contents.
        Assert.True(MlsRatchetTree.TryReadExtensionData(ratchetTreeExtension, out var contents, out var error), error.Message);
        Assert.True(MlsRatchetTree.TryDecodeContents(contents, out var tree, out error), error.Message);
        return [.. tree.Leaves.Select(l => l.Node.Credential.BasicIdentity!)];
    }
}
