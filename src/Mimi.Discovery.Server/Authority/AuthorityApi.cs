using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>Proof of control, issuance, revocation, and the authority's public material (CA chain, CRL, JWKS).</summary>
internal static partial class AuthorityApi
{
    private static readonly string[] RevocationReasons =
        ["unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation", "privilegeWithdrawn"];

    public static IEndpointRouteBuilder MapAuthorityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/authority").WithTags("Authority");
        group.MapPost("/challenges", CreateChallengeAsync).WithName("CreateChallenge").RateLimited()
            .WithSummary("Sends a one-time code to an identifier of one of the caller's users. Providers only.")
            .RequireAuthorization(Policies.Provider);
        group.MapPost("/credentials", IssueAsync).WithName("IssueCredential")
            .WithSummary("Issues a credential binding an identifier to one of the caller's users, after a one-time code or (trusted providers) an attestation. Providers only.")
            .RequireAuthorization(Policies.Provider);
        group.MapGet("/credentials", ListAsync).WithName("ListCredentials")
            .WithSummary("The caller's credentials, newest first. Providers see their own; the operator passes ?provider=.")
            .RequireAuthorization(Policies.ProviderOrOperator);
        group.MapGet("/credentials/{serial}", GetAsync).WithName("GetCredential")
            .WithSummary("One credential. Its owning provider or the operator.").RequireAuthorization(Policies.ProviderOrOperator);
        group.MapPost("/credentials/{serial}/revoke", RevokeAsync).WithName("RevokeCredential")
            .WithSummary("Revokes a credential: logged, effective at once, listed on the CRL. Its owning provider or the operator.")
            .RequireAuthorization(Policies.ProviderOrOperator);

        app.MapGet("/ca/chain.pem", (CertificateAuthority ca) => TypedResults.Text(ca.ChainPem, "application/pem-certificate-chain"))
            .WithName("GetCaChain").WithSummary("The issuing intermediate followed by the root, PEM.").WithTags("Authority").AllowAnonymous()
            .Produces<string>(200, "application/pem-certificate-chain");
        app.MapGet("/ca/root.crl", GetRootCrl)
            .WithName("GetRootCrl").WithSummary("The root's CRL (DER), signed at the root ceremony.").WithTags("Authority").AllowAnonymous()
            .Produces<byte[]>(200, "application/pkix-crl");
        app.MapGet("/ca/intermediate.crl", GetCrlAsync)
            .WithName("GetCrl").WithSummary("The intermediate's CRL (DER), as named in every credential's CRL distribution point.")
            .WithTags("Authority").AllowAnonymous().Produces<byte[]>(200, "application/pkix-crl");
        app.MapGet("/.well-known/jwks.json", (MappingAssertionKeyRing keys) => TypedResults.Text(keys.Jwks.ToJson(), JwksDocument.MediaType))
            .WithName("GetJwks").WithSummary("Public keys of mapping assertions (ES256), current and previous.").WithTags("Authority").AllowAnonymous()
            .Produces<System.Text.Json.JsonElement>(200, JwksDocument.MediaType);
        app.MapGet("/.well-known/mimi-vrf-keys.json", GetVrfKeys)
            .WithName("GetVrfKeys").WithSummary("Public keys of the identifier index (ECVRF-P256-SHA256-TAI), current first, then every earlier one.")
            .WithTags("Authority").AllowAnonymous();
        return app;
    }

    private static Ok<VrfKeysView> GetVrfKeys(IndexProofs proofs, HttpContext http)
    {
        // Keys change only by an offline rotation (a restart): a few minutes of caching costs a monitor nothing.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(VrfKeysView.From(proofs.Keys));
    }

    private static async Task<Results<Created<ChallengeView>, ProblemHttpResult>> CreateChallengeAsync(
        CreateChallengeRequest request, ClaimsPrincipal user, ChallengeService challenges, HttpContext http, CancellationToken ct)
    {
        if (ParseSubject(request.Sii, request.Ssi, user) is { Problem: { } problem })
        {
            return problem;
        }

        var sii = Sii.Parse(request.Sii!);
        var ssi = Ssi.Parse(request.Ssi!);
        var result = await challenges.CreateAsync(user.ClientId(), sii, ssi, ct);
        switch (result.Outcome)
        {
            case ChallengeOutcome.Sent:
                return TypedResults.Created($"/v1/authority/challenges/{result.ChallengeId}",
                    new ChallengeView(result.ChallengeId!, sii.Value, ssi.Value, result.Detail, result.ExpiresAt));
            case ChallengeOutcome.GatewayFailed:
                return Problems.GatewayFailed($"The code could not be sent: {result.Detail}. Try again later.");
            default:
                return Problems.RateLimited(http, result.Detail, result.RetryAfter);
        }
    }

    private static async Task<Results<Created<CredentialView>, ProblemHttpResult>> IssueAsync(
        IssueCredentialRequest request, ClaimsPrincipal user, ChallengeService challenges, IssuanceService issuance,
        ClientDirectory directory, CertificateAuthority ca, CancellationToken ct)
    {
        if (ParseSubject(request.Sii, request.Ssi, user) is { Problem: { } problem })
        {
            return problem;
        }

        var sii = Sii.Parse(request.Sii!);
        var ssi = Ssi.Parse(request.Ssi!);
        var tags = request.Tags ?? [];
        if (tags.Length > 8 || tags.Any(t => !TagPattern().IsMatch(t)))
        {
            return Problems.InvalidRequest("tags", "tags holds at most 8 preference tags, each 1 to 32 of a-z, 0-9 and '-'.");
        }

        byte[] publicKey;
        try
        {
            publicKey = Convert.FromBase64String(request.PublicKey ?? "");
        }
        catch (FormatException)
        {
            return Problems.InvalidRequest("publicKey", "publicKey must be the base64 DER SubjectPublicKeyInfo of the user's key (P-256 or Ed25519).");
        }

        var provider = user.ClientId();
        Attestation attestation;
        if (request.Attested == true)
        {
            if (request.ChallengeId is not null || request.Code is not null)
            {
                return Problems.InvalidRequest("attested", "Give either attested=true or challengeId and code, not both.");
            }

            if (directory.Find(provider)?.Trust != ProviderTrust.Trusted)
            {
                return Problems.Forbidden("Only trusted providers may attest control of an identifier; prove it with a one-time code.");
            }

            attestation = Attestation.Provider;
        }
        else
        {
            if (string.IsNullOrEmpty(request.ChallengeId) || string.IsNullOrEmpty(request.Code) || request.Code.Length > 16)
            {
                return Problems.InvalidRequest("code", "challengeId and code (from POST /v1/authority/challenges) are required unless a trusted provider attests.");
            }

            var (ok, detail) = await challenges.VerifyAsync(provider, request.ChallengeId, request.Code, sii, ssi, ct);
            if (!ok)
            {
                return Problems.ProofFailed(detail);
            }

            attestation = Attestation.OneTimeCode;
        }

        CredentialRecord record;
        try
        {
            record = await issuance.IssueAsync(provider, sii, ssi, publicKey, tags, attestation, ct);
        }
        catch (ArgumentException e)
        {
            return Problems.InvalidRequest("publicKey", e.Message);
        }

        return TypedResults.Created($"/v1/authority/credentials/{record.Serial}", CredentialView.From(record, record.Assertion, ca.ChainPem));
    }

    private static async Task<Results<Ok<CredentialView[]>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, CredentialStore store, MappingAssertionSigner assertions, IndexProofs proofs, string? provider, int? limit, CancellationToken ct)
    {
        var owner = user.IsOperator() ? provider : user.ClientId();
        if (owner is null)
        {
            return Problems.InvalidRequest("provider", "The operator names the provider: ?provider=DOMAIN.");
        }

        if (!user.IsOperator() && provider is not null && provider != owner)
        {
            return Problems.Forbidden("A provider lists only its own credentials.");
        }

        var list = await proofs.CompleteAndKeepAsync(await store.ListByProviderAsync(owner, Math.Clamp(limit ?? 100, 1, 1000), ct), ct);
        return TypedResults.Ok(list.Select(c => CredentialView.From(c, assertions.AssertionOf(c), null)).ToArray());
    }

    private static async Task<Results<Ok<CredentialView>, ProblemHttpResult>> GetAsync(
        string serial, ClaimsPrincipal user, CredentialStore store, CertificateAuthority ca, MappingAssertionSigner assertions, IndexProofs proofs,
        CancellationToken ct)
    {
        if (!CredentialSerial.TryParse(serial, out var parsed, out var error))
        {
            return Problems.InvalidSerial(error);
        }

        return await FindOwnedAsync(parsed, user, store, ct) is { } found && (await proofs.CompleteAndKeepAsync([found], ct))[0] is var c
            ? TypedResults.Ok(CredentialView.From(c, assertions.AssertionOf(c), ca.ChainPem))
            : NotOwned(parsed);
    }

    private static async Task<Results<Ok<CredentialView>, ProblemHttpResult>> RevokeAsync(
        string serial, RevokeRequest? request, ClaimsPrincipal user, CredentialStore store, IssuanceService issuance, MappingAssertionSigner assertions,
        IndexProofs proofs, HttpContext http, CancellationToken ct)
    {
        var reason = request?.Reason ?? "unspecified";
        if (!RevocationReasons.Contains(reason))
        {
            return Problems.InvalidRequest("reason", "reason must be one of: " + string.Join(", ", RevocationReasons) + ".");
        }

        if (!CredentialSerial.TryParse(serial, out var parsed, out var error))
        {
            return Problems.InvalidSerial(error);
        }

        var credential = await FindOwnedAsync(parsed, user, store, ct);
        if (credential is null)
        {
            return NotOwned(parsed);
        }

        if (credential.IsRevoked)
        {
            return Problems.Conflict($"Credential {parsed} was revoked at {credential.RevokedAt:O}.");
        }

        var revoked = await issuance.RevokeAsync(credential, Audit.AuditActors.From(http), reason, ct);
        if (revoked is null)
        {
            return Problems.Conflict($"Credential {parsed} was revoked by a concurrent request.");
        }

        var served = (await proofs.CompleteAndKeepAsync([revoked], ct))[0];
        return TypedResults.Ok(CredentialView.From(served, assertions.AssertionOf(served), null));
    }

    private static async Task<FileContentHttpResult> GetCrlAsync(CrlService crls, HttpContext http, CancellationToken ct)
    {
        var crl = await crls.GetAsync(ct);
        http.Response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.File(crl.Der, "application/pkix-crl");
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> GetRootCrl(ServiceKeys keys)
    {
        var path = Path.Combine(keys.Directory, ServiceKeys.CaDirectory, CaFiles.RootCrl);
        return File.Exists(path)
            ? TypedResults.File(KeyFiles.ReadPem(path, "X509 CRL")[0], "application/pkix-crl")
            : Problems.NotFound("No root CRL is installed (copy root.crl from the root ceremony into the CA directory).");
    }

    /// <summary>A provider sees only its own credentials; someone else's answer exactly like an unknown serial.</summary>
    internal static async Task<CredentialRecord?> FindOwnedAsync(CredentialSerial serial, ClaimsPrincipal user, CredentialStore store, CancellationToken ct)
    {
        var credential = await store.GetAsync(serial.Value, ct);
        return credential is not null && (user.IsOperator() || credential.Provider == user.ClientId()) ? credential : null;
    }

    private static ProblemHttpResult NotOwned(CredentialSerial serial) => Problems.NotFound($"No credential {serial} of yours.");

    /// <summary>Both identifiers must parse, the SSI must name a user, and the user must be the caller's.</summary>
    private static (ProblemHttpResult? Problem, bool _) ParseSubject(string? sii, string? ssi, ClaimsPrincipal user)
    {
        if (!Sii.TryParse(sii, out _, out var siiError))
        {
            return (Problems.InvalidIdentifier("sii", siiError.Code, siiError.Message), false);
        }

        if (!Ssi.TryParse(ssi, out var parsed, out var ssiError))
        {
            return (Problems.InvalidIdentifier("ssi", ssiError.Code, ssiError.Message), false);
        }

        if (parsed.Kind != SsiKind.User)
        {
            return (Problems.InvalidIdentifier("ssi", "ssi.not-a-user", "ssi must name a user: mimi://DOMAIN/u/NAME."), false);
        }

        if (parsed.Domain != user.ClientId())
        {
            return (Problems.Forbidden($"ssi belongs to '{parsed.Domain}'; a provider acts only for its own users."), false);
        }

        return (null, true);
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex TagPattern();
}
