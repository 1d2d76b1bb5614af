using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mimi.Discovery.Protocol.Tests.Support;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>RFC 9420 §10.1 checks on KeyPackages made by ts-mls (a real client) and, for single-rule refusals, by C#.</summary>
public class KeyPackageValidatorTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private const string Bob = "mimi://beta.test/d/bob-phone";
    private static readonly KeyPackageValidator Validator = new();

    private MlsPeer Peer => fixture.Peer;

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    [InlineData(MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519)]
    [InlineData(MlsCipherSuite.X448Aes256GcmSha512Ed448)]
    [InlineData(MlsCipherSuite.P521Aes256GcmSha512P521)]
    [InlineData(MlsCipherSuite.X448ChaCha20Poly1305Sha512Ed448)]
    [InlineData(MlsCipherSuite.P384Aes256GcmSha384P384)]
    public async Task A_ts_mls_KeyPackage_is_valid_and_its_ref_matches(MlsCipherSuite suite)
    {
        var made = await NewKeyPackage(suite);

        var result = Validator.ValidateMessage(made.KeyPackage, Encoding.UTF8.GetBytes(Bob));

        Assert.True(result.IsValid, result.Message);
        Assert.False(result.IsLastResort);
        Assert.True(result.KeyPackage!.TryComputeRef(out var reference));
        Assert.Equal(made.KeyPackageRef, reference.ToArray());
    }

    [Fact]
    public async Task A_last_resort_KeyPackage_is_valid_and_recognized()
    {
        var made = await NewKeyPackage(lastResort: true);

        var result = Validator.ValidateMessage(made.KeyPackage);

        Assert.True(result.IsValid, result.Message);
        Assert.True(result.IsLastResort);
        Assert.Contains(result.KeyPackage!.Extensions, e => e.ExtensionType == MlsExtensionTypes.LastResort && e.Data.Length == 0);
        Assert.Contains(MlsExtensionTypes.LastResort, result.KeyPackage.LeafNode.Capabilities.Extensions);
    }

    [Fact]
    public async Task The_Welcome_names_the_new_member_by_the_KeyPackageRef_computed_here()
    {
        var alice = MlsPeerFixture.Unique("alice");
        var bob = MlsPeerFixture.Unique("bob");
        await Peer.CreateClientAsync(alice, "mimi://alpha.test/d/alice");
        await Peer.CreateClientAsync(bob, Bob);
        var keyPackage = await Peer.KeyPackageAsync(bob);
        await Peer.CreateGroupAsync(alice, "mimi://alpha.test/r/refs");
        var added = await Peer.AddMemberAsync(alice, "mimi://alpha.test/r/refs", keyPackage.KeyPackage);

        Assert.True(Validator.ValidateMessage(keyPackage.KeyPackage).KeyPackage!.TryComputeRef(out var reference));
        var welcome = MlsSamples.ParseMessage(added.Welcome).Welcome!;
        Assert.Equal(MlsCipherSuite.X25519Aes128GcmSha256Ed25519, welcome.CipherSuite);
        Assert.Equal([reference], welcome.Secrets.Select(s => s.NewMember));
    }

    [Fact]
    public async Task An_expired_KeyPackage_is_refused()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var made = await NewKeyPackage(notBefore: now - 86_400, notAfter: now - 3_600);

        var result = Validator.ValidateMessage(made.KeyPackage);

        Assert.Equal(KeyPackageProblem.Expired, result.Problem);
        Assert.Contains("expired", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_KeyPackage_valid_only_in_the_future_is_refused()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var made = await NewKeyPackage(notBefore: now + 3_600, notAfter: now + 86_400);

        Assert.Equal(KeyPackageProblem.NotYetValid, Validator.ValidateMessage(made.KeyPackage).Problem);
    }

    [Fact]
    public void Lifetime_bounds_allow_the_configured_clock_skew()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var keyPackage = SignedKeyPackages.Parse(new KeyPackageSpec { NotBefore = 1_800_000_100, NotAfter = 1_800_000_000 + 86_400 });
        var validator = new KeyPackageValidator(new KeyPackageValidatorOptions { ClockSkew = TimeSpan.FromMinutes(2) }, clock);

        Assert.True(validator.Validate(keyPackage).IsValid);
        clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + 86_400 + 119));
        Assert.True(validator.Validate(keyPackage).IsValid);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(KeyPackageProblem.Expired, validator.Validate(keyPackage).Problem);
    }

    [Fact]
    public void A_lifetime_longer_than_allowed_is_refused_when_a_maximum_is_set()
    {
        var keyPackage = SignedKeyPackages.Parse(new KeyPackageSpec());
        var validator = new KeyPackageValidator(new KeyPackageValidatorOptions { MaximumLifetime = TimeSpan.FromDays(1) });

        Assert.True(Validator.Validate(keyPackage).IsValid);
        Assert.Equal(KeyPackageProblem.LifetimeTooLong, validator.Validate(keyPackage).Problem);
    }

    [Fact]
    public async Task A_tampered_KeyPackage_signature_is_refused()
    {
        var bytes = await NewKeyPackage();
        bytes.KeyPackage[^1] ^= 0x01;

        Assert.Equal(KeyPackageProblem.InvalidKeyPackageSignature, Validator.ValidateMessage(bytes.KeyPackage).Problem);
    }

    [Fact]
    public async Task A_KeyPackage_changed_after_signing_is_refused()
    {
        var bytes = (await NewKeyPackage()).KeyPackage;
        var keyPackage = Validator.ValidateMessage(bytes).KeyPackage!;
        var at = bytes.AsSpan().IndexOf(keyPackage.InitKey.Span);
        bytes[at] ^= 0x01;

        Assert.Equal(KeyPackageProblem.InvalidKeyPackageSignature, Validator.ValidateMessage(bytes).Problem);
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public async Task A_tampered_LeafNode_signature_is_refused(MlsCipherSuite suite)
    {
        var bytes = (await NewKeyPackage(suite)).KeyPackage;
        var leaf = Validator.ValidateMessage(bytes).KeyPackage!.LeafNode;
        var leafEnd = bytes.AsSpan().IndexOf(leaf.Encoded.Span) + leaf.Encoded.Length;
        bytes[leafEnd - 1] ^= 0x01;

        Assert.Equal(KeyPackageProblem.InvalidLeafNodeSignature, Validator.ValidateMessage(bytes).Problem);
    }

    [Theory]
    [InlineData(MlsCipherSuite.X25519Aes128GcmSha256Ed25519)]
    [InlineData(MlsCipherSuite.P256Aes128GcmSha256P256)]
    public void A_KeyPackage_signed_here_is_valid(MlsCipherSuite suite)
    {
        var result = Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { Suite = suite }), Encoding.UTF8.GetBytes(Bob));

        Assert.True(result.IsValid, result.Message);
    }

    [Theory]
    [InlineData(MlsLeafNodeSource.Update)]
    [InlineData(MlsLeafNodeSource.Commit)]
    public void A_leaf_not_from_a_KeyPackage_is_refused(MlsLeafNodeSource source)
    {
        var result = Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { Source = source }));

        Assert.Equal(KeyPackageProblem.WrongLeafNodeSource, result.Problem);
    }

    [Fact]
    public void An_init_key_equal_to_the_encryption_key_is_refused()
    {
        var key = new byte[32];
        key[0] = 9;

        var result = Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { InitKey = key, EncryptionKey = key }));

        Assert.Equal(KeyPackageProblem.InitKeyEqualsEncryptionKey, result.Problem);
    }

    [Fact]
    public void A_protocol_version_other_than_mls10_is_refused()
    {
        var result = Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { Version = 2, Versions = [1, 2] }));

        Assert.Equal(KeyPackageProblem.UnsupportedVersion, result.Problem);
    }

    [Fact]
    public async Task A_cipher_suite_outside_RFC_9420_is_refused()
    {
        // ts-mls's ML-KEM suite (77): a real KeyPackage whose signatures this library does not verify.
        var made = await NewKeyPackage((MlsCipherSuite)77 /* ts-mls MLS_128_MLKEM512_AES128GCM_SHA256_Ed25519, not an RFC 9420 suite */);

        var result = Validator.ValidateMessage(made.KeyPackage);

        Assert.Equal(KeyPackageProblem.UnsupportedCipherSuite, result.Problem);
        Assert.Contains("0x004d", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cipher_suite_left_out_of_the_options_is_refused()
    {
        var validator = new KeyPackageValidator(new KeyPackageValidatorOptions { CipherSuites = [MlsCipherSuite.X25519Aes128GcmSha256Ed25519] });
        var made = await NewKeyPackage(MlsCipherSuite.P256Aes128GcmSha256P256);

        Assert.Equal(KeyPackageProblem.UnsupportedCipherSuite, validator.ValidateMessage(made.KeyPackage).Problem);
    }

    [Fact]
    public void Options_naming_a_suite_that_cannot_be_verified_are_a_configuration_error() =>
        Assert.Throws<ArgumentException>(() => new KeyPackageValidator(new KeyPackageValidatorOptions { CipherSuites = [(MlsCipherSuite)77] }));

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(200)]
    public async Task Truncated_bytes_are_malformed(int cut)
    {
        var bytes = (await NewKeyPackage()).KeyPackage;

        var result = Validator.ValidateMessage(bytes.AsSpan(0, bytes.Length - cut));

        Assert.Equal(KeyPackageProblem.Malformed, result.Problem);
        Assert.Null(result.KeyPackage);
    }

    [Fact]
    public void An_MLSMessage_that_is_not_a_KeyPackage_is_malformed()
    {
        var welcome = MlsSamples.Wrap(MlsWireFormat.Welcome, MlsSamples.Welcome(1, [new byte[32]], [1, 2, 3]));

        Assert.Equal(KeyPackageProblem.Malformed, Validator.ValidateMessage(welcome).Problem);
    }

    [Fact]
    public void Capabilities_must_list_the_leafs_own_credential_type_and_suite()
    {
        Assert.Equal(KeyPackageProblem.CapabilitiesIncomplete, Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { Credentials = [2] })).Problem);
        Assert.Equal(KeyPackageProblem.CapabilitiesIncomplete, Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { CipherSuites = [2] })).Problem);
        Assert.Equal(KeyPackageProblem.CapabilitiesIncomplete, Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { Versions = [0x7A7A] })).Problem);
    }

    [Fact]
    public void Extensions_in_use_must_be_listed_in_capabilities_except_default_and_GREASE_ones()
    {
        Assert.Equal(
            KeyPackageProblem.ExtensionNotInCapabilities,
            Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { KeyPackageExtensions = [MlsExtensionTypes.LastResort] })).Problem);
        Assert.Equal(
            KeyPackageProblem.ExtensionNotInCapabilities,
            Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { LeafExtensions = [0xF000] })).Problem);

        var listed = Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec
        {
            Extensions = [0xF000, MlsExtensionTypes.LastResort, 0x5A5A],
            LeafExtensions = [0xF000, MlsExtensionTypes.ApplicationId, 0x3A3A],
            KeyPackageExtensions = [MlsExtensionTypes.LastResort, 0xEAEA],
        }));
        Assert.True(listed.IsValid, listed.Message);
        Assert.True(listed.IsLastResort);
    }

    [Fact]
    public void An_extension_type_listed_twice_is_refused()
    {
        Assert.Equal(
            KeyPackageProblem.DuplicateExtension,
            Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { Extensions = [MlsExtensionTypes.LastResort], KeyPackageExtensions = [MlsExtensionTypes.LastResort, MlsExtensionTypes.LastResort] })).Problem);
        Assert.Equal(
            KeyPackageProblem.DuplicateExtension,
            Validator.Validate(SignedKeyPackages.Parse(new KeyPackageSpec { LeafExtensions = [MlsExtensionTypes.ApplicationId, MlsExtensionTypes.ApplicationId] })).Problem);
    }

    [Fact]
    public async Task The_credential_must_name_the_expected_client_when_one_is_given()
    {
        var made = await NewKeyPackage();

        var result = Validator.ValidateMessage(made.KeyPackage, "mimi://beta.test/d/someone-else"u8);

        Assert.Equal(KeyPackageProblem.IdentityMismatch, result.Problem);
    }

    [Fact]
    public void A_signature_key_that_is_not_a_curve_point_is_refused()
    {
        var bytes = SignedKeyPackages.Build(new KeyPackageSpec { Suite = MlsCipherSuite.P256Aes128GcmSha256P256 });
        var leaf = MlsSamples.ParseKeyPackage(bytes).LeafNode;
        var at = bytes.AsSpan().IndexOf(leaf.SignatureKey.Span);
        bytes[at + 64] ^= 0x01; // last byte of Y: the point leaves the curve

        Assert.Equal(KeyPackageProblem.InvalidSignatureKey, Validator.Validate(MlsSamples.ParseKeyPackage(bytes)).Problem);
    }

    [Theory]
    [InlineData((ushort)0x0A0A, true)]
    [InlineData((ushort)0xEAEA, true)]
    [InlineData((ushort)0x1A2A, false)]
    [InlineData((ushort)0xFAFA, false)]
    [InlineData((ushort)0x000A, false)]
    public void GREASE_code_points_are_recognized(ushort value, bool grease) => Assert.Equal(grease, MlsExtensionTypes.IsGrease(value));

    private async Task<MlsPeerKeyPackage> NewKeyPackage(
        MlsCipherSuite suite = MlsCipherSuite.X25519Aes128GcmSha256Ed25519,
        bool lastResort = false,
        long? notBefore = null,
        long? notAfter = null)
    {
        var name = MlsPeerFixture.Unique("bob");
        await Peer.CreateClientAsync(name, Bob, suite);
        return await Peer.KeyPackageAsync(name, lastResort, notBefore, notAfter);
    }
}
