namespace Mimi.Discovery.Authority;

/// <summary>What a credential binds: a subject key, the service-specific identity (SSI) and the
/// service-independent identifier (SII) whose control was verified, and a validity window.</summary>
/// <param name="SubjectPublicKeyInfo">
/// The subject key as DER <c>SubjectPublicKeyInfo</c>, ECDSA P-256 or Ed25519. For RFC 9420 x509
/// credentials it must be the LeafNode's signature key.
/// </param>
/// <param name="Ssi">The SSI, a <c>mimi://</c> user URI such as <c>mimi://beta.test/u/bob</c>.</param>
/// <param name="Sii">The SII, already normalized: <c>tel:+15550001111</c>, <c>mailto:bob@beta.test</c> or <c>im:bob@beta.test</c>.</param>
/// <param name="NotBefore">Start of validity (truncated to whole seconds).</param>
/// <param name="NotAfter">End of validity (truncated to whole seconds); credentials are meant to be short-lived.</param>
public sealed record CredentialRequest(
    ReadOnlyMemory<byte> SubjectPublicKeyInfo,
    string Ssi,
    string Sii,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter)
{
    /// <summary>
    /// Serial number as hex (positive, at most 20 octets when DER-encoded); when null a random
    /// 128-bit serial is chosen.
    /// </summary>
    public string? SerialHex { get; init; }

    /// <summary>
    /// The VRF proof of the SII's identifier index, written into the non-critical extension
    /// <see cref="AuthorityOids.IdentifierIndexProof"/>; none when null (a bulk import proves its index beside the certificate).
    /// </summary>
    public IdentifierIndexProof? IndexProof { get; init; }
}
