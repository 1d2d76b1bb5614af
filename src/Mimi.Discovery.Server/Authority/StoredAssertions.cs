using Mimi.Discovery.Authority;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// The mapping assertion of a stored credential. A bulk import logs its rows without signing their assertions (one
/// ECDSA signature per row instead of two, the import's bound); every claim is a column of the row, so the assertion is
/// signed from the row where it is first served. ECDSA signatures are randomized: two replicas serve different tokens
/// for one credential, each valid under the published key and carrying the same claims.
/// </summary>
internal static class StoredAssertions
{
    /// <summary>The claims an assertion of <paramref name="credential"/> carries: iat is the issuance time.</summary>
    public static MappingAssertionClaims Claims(CredentialRecord credential) => new(credential.Sii, credential.Ssi, credential.Provider,
        credential.Tags, credential.CreatedAt, credential.NotAfter, credential.LogIndex, credential.Serial);

    /// <summary>The stored assertion, or one signed now when the row has none.</summary>
    public static string AssertionOf(this MappingAssertionSigner signer, CredentialRecord credential) =>
        credential.Assertion.Length > 0 ? credential.Assertion : signer.Sign(Claims(credential));
}
