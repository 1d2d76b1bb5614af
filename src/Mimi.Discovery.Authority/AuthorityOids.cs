namespace Mimi.Discovery.Authority;

/// <summary>Object identifiers used by the Mimi.Discovery certificate profiles.</summary>
public static class AuthorityOids
{
    /// <summary>
    /// The project's own arc, a UUID-based OID under <c>2.25</c> (ITU-T X.667) allocated once from
    /// UUID <c>7718c011-3aa5-480c-92b7-0ed80d725010</c>; the project has no private enterprise number.
    /// </summary>
    public const string ProjectArc = "2.25.158306642210682432174046967317967032336";

    /// <summary>
    /// Certificate policy "Mimi.Discovery identifier credentials, version 1" (<c>ProjectArc.1</c>),
    /// carried by the root, every intermediate and every credential.
    /// </summary>
    public const string CredentialPolicy = ProjectArc + ".1";

    /// <summary>
    /// Non-critical credential extension carrying the VRF proof of the credential's identifier index
    /// (<c>ProjectArc.2</c>, <see cref="IdentifierIndexProof"/>).
    /// </summary>
    public const string IdentifierIndexProof = ProjectArc + ".2";

    /// <summary>Extended key usage <c>id-kp-imUri</c>, <c>{ id-kp 40 }</c> (RFC 9734 section 3).</summary>
    public const string ImUriKeyPurpose = "1.3.6.1.5.5.7.3.40";

    /// <summary>Certificate extension <c>id-pe-TNAuthList</c>, <c>{ id-pe 26 }</c> (RFC 8226 section 9).</summary>
    public const string TnAuthList = "1.3.6.1.5.5.7.1.26";
}
