using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// Who asks for key material (draft-ietf-mimi-protocol-06 §5.2): a KeyMaterialRequest names its requester by a basic
/// credential whose identity is a client URI of the requesting provider (<c>mimi://domain/d/…</c>), and is signed with
/// that client's MLS signature key: <c>SignWithLabel(requesterSignatureKey, "KeyMaterialRequestTBS",
/// KeyMaterialRequestTBS)</c>. The signature must verify under the signature scheme of one of the request's acceptable
/// cipher suites; a request listing none is checked under the scheme its key belongs to (the schemes' key sizes all
/// differ, so the key names exactly one). Anything else is a 400 naming the field.
/// </summary>
internal static class RequesterSignature
{
    // One suite per signature scheme: Ed25519, P-256, Ed448, P-521, P-384.
    private static readonly MlsCipherSuite[] EverySchemeOnce =
    [
        MlsCipherSuite.X25519Aes128GcmSha256Ed25519, MlsCipherSuite.P256Aes128GcmSha256P256, MlsCipherSuite.X448Aes256GcmSha512Ed448,
        MlsCipherSuite.P521Aes256GcmSha512P521, MlsCipherSuite.P384Aes256GcmSha384P384,
    ];

    /// <summary>
    /// The problem with <paramref name="request"/>'s requester, or null when its credential names a client of
    /// <paramref name="requesterDomain"/> (exactly <paramref name="callingClient"/> when given: the client API) and
    /// its signature verifies.
    /// </summary>
    public static ProblemHttpResult? Check(KeyMaterialRequest request, string requesterDomain, string? callingClient = null)
    {
        var credential = request.RequesterCredential;
        if (credential.CredentialType != MlsCredentialType.Basic)
        {
            return Problems.InvalidRequest("requesterCredential", $"requesterCredential must be a basic credential naming the requesting client (got {credential.CredentialType}).");
        }

        var identity = credential.BasicIdentity;
        if (identity is null || !Ssi.TryParse(identity, out var client, out _) || client.Kind != SsiKind.Client || client.Domain != requesterDomain)
        {
            return Problems.InvalidRequest("requesterCredential", $"requesterCredential's identity must be a client URI of {requesterDomain} (mimi://{requesterDomain}/d/…).");
        }

        if (callingClient is not null && client.Value != callingClient)
        {
            return Problems.Forbidden($"requesterCredential must name this client, {callingClient}.");
        }

        var suites = request.AcceptableCipherSuites.Count == 0 ? EverySchemeOnce : request.AcceptableCipherSuites.Where(MlsSignature.IsSupported).ToArray();
        if (suites.Length == 0)
        {
            return Problems.InvalidRequest("acceptableCiphersuites", "None of the acceptable cipher suites has a signature scheme this provider verifies.");
        }

        var tbs = request.EncodeTbs();
        var keyFits = false;
        foreach (var suite in suites)
        {
            var check = MlsSignature.VerifyWithLabel(suite, request.RequesterSignatureKey.Span, KeyMaterialRequest.SignatureLabel, tbs, request.Signature.Span);
            if (check == MlsSignatureCheck.Valid)
            {
                return null;
            }

            keyFits |= check == MlsSignatureCheck.Invalid;
        }

        return keyFits
            ? Problems.InvalidRequest("key_material_request_signature",
                "key_material_request_signature does not verify: it must be SignWithLabel(requesterSignatureKey, \"KeyMaterialRequestTBS\", KeyMaterialRequestTBS).")
            : Problems.InvalidRequest("requesterSignatureKey",
                "requesterSignatureKey is not a signature key of any acceptable cipher suite's scheme (or, when none is listed, of any scheme).");
    }
}
