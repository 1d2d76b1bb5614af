namespace Mimi.Discovery.Protocol;

/// <summary>
/// An MLS cipher suite (RFC 9420 §17.1). Values outside the named ones are legal on the wire (new suites,
/// GREASE values in capability lists) and are kept as they are.
/// </summary>
public enum MlsCipherSuite : ushort
{
    /// <summary>MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519.</summary>
    X25519Aes128GcmSha256Ed25519 = 0x0001,

    /// <summary>MLS_128_DHKEMP256_AES128GCM_SHA256_P256.</summary>
    P256Aes128GcmSha256P256 = 0x0002,

    /// <summary>MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519.</summary>
    X25519ChaCha20Poly1305Sha256Ed25519 = 0x0003,

    /// <summary>MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448.</summary>
    X448Aes256GcmSha512Ed448 = 0x0004,

    /// <summary>MLS_256_DHKEMP521_AES256GCM_SHA512_P521.</summary>
    P521Aes256GcmSha512P521 = 0x0005,

    /// <summary>MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448.</summary>
    X448ChaCha20Poly1305Sha512Ed448 = 0x0006,

    /// <summary>MLS_256_DHKEMP384_AES256GCM_SHA384_P384.</summary>
    P384Aes256GcmSha384P384 = 0x0007,
}

/// <summary>The MLSMessage wire formats of RFC 9420 §6.</summary>
public enum MlsWireFormat : ushort
{
    /// <summary>mls_public_message.</summary>
    PublicMessage = 1,

    /// <summary>mls_private_message.</summary>
    PrivateMessage = 2,

    /// <summary>mls_welcome.</summary>
    Welcome = 3,

    /// <summary>mls_group_info.</summary>
    GroupInfo = 4,

    /// <summary>mls_key_package.</summary>
    KeyPackage = 5,
}

/// <summary>The content type of an MLS framed message (RFC 9420 §6).</summary>
public enum MlsContentType : byte
{
    /// <summary>An application message.</summary>
    Application = 1,

    /// <summary>A proposal.</summary>
    Proposal = 2,

    /// <summary>A commit.</summary>
    Commit = 3,
}

/// <summary>The sender type of a PublicMessage (RFC 9420 §6).</summary>
public enum MlsSenderType : byte
{
    /// <summary>A member, identified by leaf index.</summary>
    Member = 1,

    /// <summary>An external sender, identified by its index in <c>external_senders</c>.</summary>
    External = 2,

    /// <summary>A new member proposing to join.</summary>
    NewMemberProposal = 3,

    /// <summary>A new member joining by external commit.</summary>
    NewMemberCommit = 4,
}

/// <summary>The credential types RFC 9420 §5.3 defines; only these have a known encoding.</summary>
public enum MlsCredentialType : ushort
{
    /// <summary>A basic credential: an opaque identity.</summary>
    Basic = 1,

    /// <summary>An X.509 certificate chain, leaf first.</summary>
    X509 = 2,
}

/// <summary>How a LeafNode came to be (RFC 9420 §7.2).</summary>
public enum MlsLeafNodeSource : byte
{
    /// <summary>In a KeyPackage; carries a lifetime.</summary>
    KeyPackage = 1,

    /// <summary>In an Update proposal.</summary>
    Update = 2,

    /// <summary>In a Commit's UpdatePath; carries a parent hash.</summary>
    Commit = 3,
}

/// <summary>
/// MLS extension types (the IANA "MLS Extension Types" registry). Kept as plain code points: extension lists carry
/// unknown and GREASE values too (RFC 9420 §13.5).
/// </summary>
public static class MlsExtensionTypes
{
    /// <summary>application_id (RFC 9420), in LeafNodes.</summary>
    public const ushort ApplicationId = 0x0001;

    /// <summary>ratchet_tree (RFC 9420), in GroupInfo.</summary>
    public const ushort RatchetTree = 0x0002;

    /// <summary>required_capabilities (RFC 9420), in the GroupContext.</summary>
    public const ushort RequiredCapabilities = 0x0003;

    /// <summary>external_pub (RFC 9420), in GroupInfo.</summary>
    public const ushort ExternalPub = 0x0004;

    /// <summary>external_senders (RFC 9420), in the GroupContext.</summary>
    public const ushort ExternalSenders = 0x0005;

    /// <summary>
    /// last_resort_key_package (draft-ietf-mls-extensions, registered as 0x000A), in KeyPackages: an empty
    /// extension marking a KeyPackage its client allows to be used more than once.
    /// </summary>
    public const ushort LastResort = 0x000A;

    /// <summary>Whether <paramref name="type"/> is one of the default extension types of RFC 9420 (§7.2), which need not appear in capabilities.</summary>
    public static bool IsDefault(ushort type) => type is >= ApplicationId and <= ExternalSenders;

    /// <summary>Whether <paramref name="value"/> is a GREASE code point (RFC 9420 §13.5: 0x0A0A, 0x1A1A, … 0xEAEA).</summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 12) == ((value >> 4) & 0x0F) && (value >> 12) != 0xF;
}
