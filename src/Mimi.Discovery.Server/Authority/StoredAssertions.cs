using Mimi.Discovery.Authority;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// The mapping assertion of a stored credential. A bulk import logs its rows without signing their assertions (one
/// ECDSA signature per row instead of two, the import's bound) and without proving their identifier index (one VRF
/// evaluation instead of a proof); every claim is a column of the row or, for the proof, computed from it
/// (<see cref="IndexProofs.Complete"/>), so the assertion is signed from the row where it is first served. ECDSA
/// signatures are randomized: two replicas serve different tokens for one credential, each valid under the published
/// key and carrying the same claims.
/// </summary>
internal static class StoredAssertions
{
    /// <summary>The claims an assertion of <paramref name="credential"/> carries (completed with its proof): iat is the issuance time.</summary>
    public static MappingAssertionClaims Claims(CredentialRecord credential) => new(credential.Sii, credential.Ssi, credential.Provider,
        credential.Tags, credential.CreatedAt, credential.NotAfter, credential.LogIndex, credential.Serial, IndexProofs.Claims(credential));

    /// <summary>The stored assertion, or one signed now when the row has none; an indexed row must be completed with its proof first.</summary>
    public static string AssertionOf(this MappingAssertionSigner signer, CredentialRecord credential) =>
        credential.Assertion.Length > 0 ? credential.Assertion : signer.Sign(Claims(credential));
}
