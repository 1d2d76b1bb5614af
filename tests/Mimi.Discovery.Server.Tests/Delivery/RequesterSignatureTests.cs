using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Peers;
using Org.BouncyCastle.Math.EC.Rfc8032;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// The KeyMaterialRequest's requester binding: a basic credential naming a client of the requesting provider and a
/// SignWithLabel signature by that client's MLS key (ts-mls signs), checked by the target provider on
/// <c>keyMaterial</c> and by the requester's own provider on the client API.
/// </summary>
public sealed class RequesterSignatureTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private const MlsCipherSuite Suite = MlsCipherSuite.X25519Aes128GcmSha256Ed25519;

    [Fact]
    public async Task The_target_provider_refuses_an_unsigned_tampered_or_foreign_request_with_400_naming_the_field_and_claims_nothing()
    {
        var ann = await fixture.MemberAsync(fixture.Alpha, "sig-ann");
        var bo = await fixture.MemberAsync(fixture.Beta, "sig-bo");
        await bo.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("sig-bo")).KeyPackage, (await fixture.Mls.KeyPackageAsync("sig-bo")).KeyPackage]);

        var unsigned = Request(ann, bo.UserUri, ann.ClientUri, ann.SignatureKey, Suite);
        await AssertRefusedAsync(bo, unsigned.Encode(), "key_material_request_signature");

        // Signed for one room, sent for another: the signature covers every field before it.
        var signed = await SignAsync(Request(ann, bo.UserUri, ann.ClientUri, ann.SignatureKey, Suite), ann);
        var tampered = KeyMaterialRequest.TryDecode(signed, out var decoded, out _) ? decoded with { RoomId = "mimi://alpha.test/r/elsewhere" } : null;
        await AssertRefusedAsync(bo, tampered!.Encode(), "key_material_request_signature");

        // Another client's key under ann's signature does not verify either.
        await AssertRefusedAsync(bo, await SignAsync(Request(ann, bo.UserUri, ann.ClientUri, bo.SignatureKey, Suite), ann), "key_material_request_signature");

        // A credential of another provider, even signed by its key, is not alpha's to present.
        await AssertRefusedAsync(bo, await SignAsync(Request(ann, bo.UserUri, "mimi://gamma.test/d/sig-ann", ann.SignatureKey, Suite), ann), "requesterCredential");
        await AssertRefusedAsync(bo, await SignAsync(Request(ann, bo.UserUri, ann.UserUri, ann.SignatureKey, Suite), ann), "requesterCredential");
        var x509 = Request(ann, bo.UserUri, ann.ClientUri, ann.SignatureKey, Suite) with { RequesterCredential = MlsCredential.X509(ValueArray.Create(ByteString.CopyFrom([0x30, 0x00]))) };
        await AssertRefusedAsync(bo, await SignAsync(x509, ann), "requesterCredential");

        // A key of no acceptable suite's scheme (P-256 listed, an Ed25519 key given).
        await AssertRefusedAsync(bo, await SignAsync(Request(ann, bo.UserUri, ann.ClientUri, ann.SignatureKey, MlsCipherSuite.P256Aes128GcmSha256P256), ann), "requesterSignatureKey");

        Assert.Equal(new KeyPackageCounts(2, 0), await bo.Client.GetKeyPackageCountsAsync());

        // Signed as the draft says, the claim goes through: with the suite listed, and with none (the key's own scheme).
        Assert.Equal(KeyMaterialUserCode.Success, (await ClaimAtBetaAsync(bo, signed)).UserStatus);
        var anySuite = await SignAsync(Request(ann, bo.UserUri, ann.ClientUri, ann.SignatureKey), ann);
        Assert.Equal(KeyMaterialUserCode.Success, (await ClaimAtBetaAsync(bo, anySuite)).UserStatus);
        Assert.Equal(new KeyPackageCounts(0, 0), await bo.Client.GetKeyPackageCountsAsync());
    }

    [Fact]
    public async Task Through_its_provider_a_client_claims_only_with_a_signed_credential_naming_itself()
    {
        var cal = await fixture.MemberAsync(fixture.Alpha, "sig-cal");
        var dot = await fixture.MemberAsync(fixture.Alpha, "sig-dot");
        var eve = await fixture.MemberAsync(fixture.Beta, "sig-eve");
        await eve.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("sig-eve", lastResort: true)).KeyPackage]);

        // dot's credential, properly signed by dot, sent by cal as cal's user: alpha refuses before forwarding anything.
        var asDot = await SignAsync(Request(cal, eve.UserUri, dot.ClientUri, dot.SignatureKey, Suite), dot);
        using (var forbidden = await ClaimThroughAlphaAsync(cal, asDot))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Contains("requesterCredential", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unsigned = await ClaimThroughAlphaAsync(cal, Request(cal, eve.UserUri, cal.ClientUri, cal.SignatureKey, Suite).Encode()))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
            Assert.Equal("key_material_request_signature", await FieldAsync(unsigned));
        }

        // Signed by ts-mls through the client library, and signed here with a key held in C#: both verify at alpha and at beta.
        var claim = DeliveryMessages.DecodeKeyMaterial(await cal.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(cal, eve.UserUri)));
        Assert.Equal(KeyMaterialUserCode.Success, claim.UserStatus);
        var privateKey = new byte[Ed25519.SecretKeySize];
        Random.Shared.NextBytes(privateKey);
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
        var inCSharp = DeliveryMessages.KeyMaterialRequest(cal.UserUri, cal.ClientUri, eve.UserUri, "", Suite, publicKey, privateKey);
        Assert.Equal(KeyMaterialUserCode.Success, DeliveryMessages.DecodeKeyMaterial(await cal.Client.ClaimKeyMaterialAsync(inCSharp)).UserStatus);
    }

    private static KeyMaterialRequest Request(Member requester, string target, string identity, byte[] signatureKey, params MlsCipherSuite[] suites) =>
        new(MimiProtocol.Mls10, requester.UserUri, target, "", ValueArray.Create<MlsCipherSuite>(suites), new MlsRequiredCapabilities(default, default, default),
            ByteString.CopyFrom(signatureKey), MlsCredential.Basic(ByteString.CopyFrom(Encoding.UTF8.GetBytes(identity))), ByteString.Empty);

    private static async Task<byte[]> SignAsync(KeyMaterialRequest unsigned, Member signer)
    {
        var signature = await signer.Signer(KeyMaterialRequest.SignatureLabel, unsigned.EncodeTbs(), default);
        return (unsigned with { Signature = ByteString.CopyFrom(signature) }).Encode();
    }

    /// <summary>alpha's signed keyMaterial call to beta, as its client API would forward it.</summary>
    private async Task<PeerResponse> SendToBetaAsync(Member target, byte[] body) =>
        await fixture.Alpha.Service!.Services.GetRequiredService<PeerClient>().SendAsync("beta.test", MimiEndpoint.KeyMaterial, target.UserUri, body, null, default);

    private async Task<KeyMaterialResponse> ClaimAtBetaAsync(Member target, byte[] body)
    {
        var response = await SendToBetaAsync(target, body);
        Assert.Equal(200, response.Status);
        return DeliveryMessages.DecodeKeyMaterial(response.Body);
    }

    private async Task AssertRefusedAsync(Member target, byte[] body, string field)
    {
        var response = await SendToBetaAsync(target, body);
        Assert.Equal(400, response.Status);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal("urn:mimi-discovery:problem:invalid-request", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
    }

    private async Task<HttpResponseMessage> ClaimThroughAlphaAsync(Member requester, byte[] body)
    {
        using var http = fixture.Alpha.Service!.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/client/keyMaterial") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await requester.Client.GetAccessTokenAsync());
        return await http.SendAsync(request);
    }

    private static async Task<string?> FieldAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("field").GetString();
    }
}
