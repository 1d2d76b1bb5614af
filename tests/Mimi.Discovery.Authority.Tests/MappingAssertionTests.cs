using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mimi.Discovery.Authority.Tests.Support;

namespace Mimi.Discovery.Authority.Tests;

public sealed class MappingAssertionTests : IDisposable
{
    private const string Issuer = "https://authority.example.test";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private readonly TempDirectory _work = new();
    private readonly MappingAssertionKeyRing _ring = MappingAssertionKeyRing.Generate();

    public void Dispose()
    {
        _ring.Dispose();
        _work.Dispose();
    }

    [Fact]
    public void Header_is_es256_with_the_mapping_type_and_the_rfc7638_thumbprint_as_kid()
    {
        var token = new MappingAssertionSigner(Issuer, _ring).Sign(Claims());

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]));
        var independentThumbprint = new JsonWebKey
        {
            Kty = "EC",
            Crv = "P-256",
            X = _ring.Current.X,
            Y = _ring.Current.Y,
        }.ComputeJwkThumbprint();

        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("mimi-mapping+jwt", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal(Base64UrlEncoder.Encode(independentThumbprint), header.RootElement.GetProperty("kid").GetString());
        Assert.Equal(_ring.Current.KeyId, header.RootElement.GetProperty("kid").GetString());
        Assert.Equal(64, Base64Url.DecodeFromChars(token.Split('.')[2]).Length);
    }

    [Fact]
    public void Jose_verifies_the_assertion_and_reads_every_claim()
    {
        var token = new MappingAssertionSigner(Issuer, _ring).Sign(Claims());

        var result = JosePeer.Verify(_work, _ring.Jwks, token, Issuer);

        Assert.True(result.ExitCode == 0, result.Output);
        using var verified = JsonDocument.Parse(result.Stdout);
        var header = verified.RootElement.GetProperty("header");
        var payload = verified.RootElement.GetProperty("payload");
        Assert.Equal(_ring.Current.KeyId, header.GetProperty("kid").GetString());
        Assert.Equal(Issuer, payload.GetProperty("iss").GetString());
        Assert.Equal("tel:+15550001111", payload.GetProperty("sub").GetString());
        Assert.Equal("mimi://beta.test/u/bob", payload.GetProperty("ssi").GetString());
        Assert.Equal("beta.test", payload.GetProperty("provider").GetString());
        Assert.Equal(["work", "preferred"], payload.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(Now.AddDays(7).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(4_294_967_296L, payload.GetProperty("log_index").GetInt64());
        Assert.Equal("40aa11bb22cc33dd44ee55ff66778899", payload.GetProperty("cred").GetString());
    }

    [Fact]
    public void Jose_rejects_a_tampered_assertion()
    {
        var token = new MappingAssertionSigner(Issuer, _ring).Sign(Claims());
        var tampered = Tamper(token);

        var result = JosePeer.Verify(_work, _ring.Jwks, tampered, Issuer);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Assertion_signed_by_the_previous_key_still_verifies_while_that_key_is_published()
    {
        var oldToken = new MappingAssertionSigner(Issuer, _ring).Sign(Claims());
        using var rotated = _ring.Rotate();
        var newToken = new MappingAssertionSigner(Issuer, rotated).Sign(Claims());
        using var verifier = new MappingAssertionVerifier(rotated.Jwks, Issuer);
        using var afterRetirement = _ring.Rotate().Rotate(keepPrevious: 1);
        using var retiredVerifier = new MappingAssertionVerifier(afterRetirement.Jwks, Issuer);

        Assert.NotEqual(_ring.Current.KeyId, rotated.Current.KeyId);
        Assert.Equal([rotated.Current.KeyId, _ring.Current.KeyId], rotated.Jwks.Keys.Select(k => k.KeyId));
        Assert.Equal(MappingAssertionStatus.Valid, verifier.Verify(oldToken, Now).Status);
        Assert.Equal(MappingAssertionStatus.Valid, verifier.Verify(newToken, Now).Status);
        var jose = JosePeer.Verify(_work, rotated.Jwks, oldToken, Issuer);
        Assert.True(jose.ExitCode == 0, jose.Output);
        Assert.Equal(MappingAssertionStatus.UnknownKey, retiredVerifier.Verify(oldToken, Now).Status);
    }

    [Fact]
    public void Our_verifier_returns_the_claims_of_a_valid_assertion()
    {
        var claims = Claims();
        var token = new MappingAssertionSigner(Issuer, _ring).Sign(claims);
        using var verifier = new MappingAssertionVerifier(_ring.Jwks, Issuer);

        var result = verifier.Verify(token, Now);

        Assert.True(result.IsValid);
        Assert.Equal(_ring.Current.KeyId, result.KeyId);
        Assert.Equal(claims with { Tags = result.Claims!.Tags }, result.Claims);
        Assert.Equal(claims.Tags, result.Claims.Tags);
    }

    [Fact]
    public void The_transparency_claims_of_a_format_2_credential_round_trip_and_jose_reads_them()
    {
        var transparency = new AssertionTransparency("one-time-code", "0123456789abcdef", [.. Enumerable.Range(0, 81).Select(i => (byte)i)], new byte[32]);
        var claims = Claims() with { Transparency = transparency };
        var token = new MappingAssertionSigner(Issuer, _ring).Sign(claims);
        using var verifier = new MappingAssertionVerifier(_ring.Jwks, Issuer);

        var result = verifier.Verify(token, Now);
        var jose = JosePeer.Verify(_work, _ring.Jwks, token, Issuer);

        Assert.True(result.IsValid);
        Assert.Equal(("one-time-code", "0123456789abcdef"), (result.Claims!.Transparency!.Attestation, result.Claims.Transparency.VrfKeyId));
        Assert.Equal(transparency.VrfProof, result.Claims.Transparency.VrfProof);
        Assert.Equal(transparency.LogOpening, result.Claims.Transparency.LogOpening);
        Assert.True(jose.ExitCode == 0, jose.Output);
        using var verified = JsonDocument.Parse(jose.Stdout);
        var payload = verified.RootElement.GetProperty("payload");
        Assert.Equal(transparency.VrfProof, Base64Url.DecodeFromChars(payload.GetProperty("vrf_proof").GetString()));
        Assert.Equal("0123456789abcdef", payload.GetProperty("vrf_kid").GetString());
        Assert.Null(verifier.Verify(new MappingAssertionSigner(Issuer, _ring).Sign(Claims()), Now).Claims!.Transparency);
    }

    [Theory]
    [InlineData("\"attestation\":\"provider\"")]
    [InlineData("\"attestation\":\"trust-me\",\"vrf_kid\":\"k\",\"vrf_proof\":\"AAAA\",\"log_opening\":\"AAAA\"")]
    public void Incomplete_or_malformed_transparency_claims_make_the_assertion_malformed(string members)
    {
        // Signed as they are, so only the claims are wrong.
        var token = new MappingAssertionSigner(Issuer, _ring).Sign(Claims());
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var forged = payload[..^1] + "," + members + "}";
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged)));
        var signature = _ring.SigningKey.SignData(input, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        using var verifier = new MappingAssertionVerifier(_ring.Jwks, Issuer);

        var result = verifier.Verify(Encoding.ASCII.GetString(input) + "." + Base64Url.EncodeToString(signature), Now);

        Assert.Equal(MappingAssertionStatus.Malformed, result.Status);
    }

    [Fact]
    public void Our_verifier_rejects_tampering_expiry_wrong_issuer_unknown_keys_and_other_headers()
    {
        var signer = new MappingAssertionSigner(Issuer, _ring);
        var token = signer.Sign(Claims());
        using var verifier = new MappingAssertionVerifier(_ring.Jwks, Issuer);
        using var otherRing = MappingAssertionKeyRing.Generate();
        using var strangerVerifier = new MappingAssertionVerifier(otherRing.Jwks, Issuer);
        using var otherIssuerVerifier = new MappingAssertionVerifier(_ring.Jwks, "https://elsewhere.test");

        Assert.Equal(MappingAssertionStatus.BadSignature, verifier.Verify(Tamper(token), Now).Status);
        Assert.Equal(MappingAssertionStatus.Expired, verifier.Verify(token, Now.AddDays(8)).Status);
        Assert.Equal(MappingAssertionStatus.NotYetValid, verifier.Verify(token, Now.AddHours(-1)).Status);
        Assert.Equal(MappingAssertionStatus.WrongIssuer, otherIssuerVerifier.Verify(token, Now).Status);
        Assert.Equal(MappingAssertionStatus.UnknownKey, strangerVerifier.Verify(token, Now).Status);
        Assert.Equal(MappingAssertionStatus.UnsupportedAlgorithm, verifier.Verify(WithHeader(token, "none", "mimi-mapping+jwt"), Now).Status);
        Assert.Equal(MappingAssertionStatus.WrongType, verifier.Verify(WithHeader(token, "ES256", "JWT"), Now).Status);
        Assert.Equal(MappingAssertionStatus.Malformed, verifier.Verify("not.a-token", Now).Status);
        Assert.Equal(MappingAssertionStatus.Malformed, verifier.Verify(token + ".x", Now).Status);
    }

    [Fact]
    public async Task Microsoft_identity_model_also_validates_the_assertion()
    {
        var token = new MappingAssertionSigner(Issuer, _ring).Sign(Claims() with { IssuedAt = DateTimeOffset.UtcNow.AddMinutes(-1), ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            ValidTypes = ["mimi-mapping+jwt"],
            ValidAlgorithms = ["ES256"],
            IssuerSigningKeys = new JsonWebKeySet(_ring.Jwks.ToJson()).GetSigningKeys(),
        };

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("tel:+15550001111", result.Claims["sub"]);
    }

    [Fact]
    public void Jwks_document_lists_ec_p256_signing_keys_and_round_trips()
    {
        using var rotated = _ring.Rotate();

        using var json = JsonDocument.Parse(rotated.Jwks.ToJson());
        var keys = json.RootElement.GetProperty("keys").EnumerateArray().ToList();
        var parsed = JwksDocument.Parse(rotated.Jwks.ToUtf8Json());

        Assert.Equal(2, keys.Count);
        foreach (var key in keys)
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
            Assert.Equal(32, Base64Url.DecodeFromChars(key.GetProperty("x").GetString()).Length);
            Assert.Equal(32, Base64Url.DecodeFromChars(key.GetProperty("y").GetString()).Length);
        }

        Assert.Equal(rotated.Jwks.Keys, parsed.Keys);
    }

    [Fact]
    public void Key_ring_saved_and_loaded_keeps_signing_key_and_previous_keys()
    {
        using var rotated = _ring.Rotate();
        var directory = _work.File("keys");
        rotated.Save(directory);

        using var loaded = MappingAssertionKeyRing.Load(directory);
        var token = new MappingAssertionSigner(Issuer, loaded).Sign(Claims());
        using var verifier = new MappingAssertionVerifier(rotated.Jwks, Issuer);

        Assert.Equal(rotated.Jwks.Keys, loaded.Jwks.Keys);
        Assert.True(verifier.Verify(token, Now).IsValid);
        Assert.Equal(KeyFiles.PrivateKeyMode, File.GetUnixFileMode(Path.Combine(directory, MappingAssertionKeyRing.SigningKeyFile)));
    }

    [Fact]
    public void Loading_a_key_ring_whose_signing_key_is_world_readable_fails()
    {
        var directory = _work.File("keys");
        using (var ring = MappingAssertionKeyRing.LoadOrCreate(directory))
        {
        }

        var path = Path.Combine(directory, MappingAssertionKeyRing.SigningKeyFile);
        File.SetUnixFileMode(path, KeyFiles.PrivateKeyMode | UnixFileMode.OtherRead);

        var error = Assert.Throws<InsecureKeyFileException>(() => MappingAssertionKeyRing.Load(directory));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static MappingAssertionClaims Claims() => new(
        "tel:+15550001111",
        "mimi://beta.test/u/bob",
        "beta.test",
        ["work", "preferred"],
        Now,
        Now.AddDays(7),
        4_294_967_296L,
        "40aa11bb22cc33dd44ee55ff66778899");

    /// <summary>Changes the SSI inside the payload and keeps the original signature.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("u/bob", "u/eve", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
    }

    private static string WithHeader(string token, string alg, string typ)
    {
        var parts = token.Split('.');
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        var kid = header.RootElement.GetProperty("kid").GetString();
        var json = $$"""{"alg":"{{alg}}","typ":"{{typ}}","kid":"{{kid}}"}""";
        return $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json))}.{parts[1]}.{parts[2]}";
    }
}
