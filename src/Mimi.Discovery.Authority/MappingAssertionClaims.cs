namespace Mimi.Discovery.Authority;

/// <summary>What a mapping assertion states: this SII maps to this SSI on this provider.</summary>
/// <param name="Sii">The service-independent identifier (claim <c>sub</c>), e.g. <c>tel:+15550001111</c>.</param>
/// <param name="Ssi">The service-specific identity (claim <c>ssi</c>), e.g. <c>mimi://beta.test/u/bob</c>.</param>
/// <param name="Provider">The provider's domain (claim <c>provider</c>), e.g. <c>beta.test</c>.</param>
/// <param name="Tags">Preference tags chosen by the user, in order (claim <c>tags</c>).</param>
/// <param name="IssuedAt">Claim <c>iat</c>, whole seconds.</param>
/// <param name="ExpiresAt">Claim <c>exp</c>, whole seconds.</param>
/// <param name="LogIndex">Index of the issuance in the issuance log (claim <c>log_index</c>).</param>
/// <param name="CredentialSerial">Serial of the X.509 credential, lower-case hex (claim <c>cred</c>).</param>
/// <param name="Transparency">
/// For a credential logged in format 2 (docs/accountability.md §3): the VRF proof of its identifier index and the
/// opening of its issuance commitment (claims <c>attestation</c>, <c>vrf_kid</c>, <c>vrf_proof</c>,
/// <c>log_opening</c>); null for a credential logged before.
/// </param>
public sealed record MappingAssertionClaims(
    string Sii,
    string Ssi,
    string Provider,
    IReadOnlyList<string> Tags,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    long LogIndex,
    string CredentialSerial,
    AssertionTransparency? Transparency = null);
