namespace Mimi.Discovery.Protocol;

/// <summary>Why a KeyPackage was refused, or <see cref="None"/> when it was accepted.</summary>
public enum KeyPackageProblem
{
    /// <summary>The KeyPackage is valid.</summary>
    None = 0,

    /// <summary>The bytes are not one well-formed KeyPackage (or MLSMessage carrying one).</summary>
    Malformed,

    /// <summary>The protocol version is not mls10.</summary>
    UnsupportedVersion,

    /// <summary>The cipher suite is not one this validator accepts.</summary>
    UnsupportedCipherSuite,

    /// <summary>The leaf node's source is not <c>key_package</c>.</summary>
    WrongLeafNodeSource,

    /// <summary>The lifetime starts in the future (beyond the allowed clock skew).</summary>
    NotYetValid,

    /// <summary>The lifetime has ended (beyond the allowed clock skew).</summary>
    Expired,

    /// <summary>The lifetime is longer than <see cref="KeyPackageValidatorOptions.MaximumLifetime"/>, or ends before it starts.</summary>
    LifetimeTooLong,

    /// <summary>The init key equals the leaf's encryption key (RFC 9420 §10.1).</summary>
    InitKeyEqualsEncryptionKey,

    /// <summary>The leaf's signature key is not a key of the suite's signature scheme.</summary>
    InvalidSignatureKey,

    /// <summary>The KeyPackage signature (<c>KeyPackageTBS</c>) does not verify with the leaf's signature key.</summary>
    InvalidKeyPackageSignature,

    /// <summary>The LeafNode signature (<c>LeafNodeTBS</c>) does not verify with the leaf's signature key.</summary>
    InvalidLeafNodeSignature,

    /// <summary>The leaf's capabilities do not list the KeyPackage's version, cipher suite or credential type.</summary>
    CapabilitiesIncomplete,

    /// <summary>An extension the KeyPackage or its leaf carries is not listed in the leaf's capabilities.</summary>
    ExtensionNotInCapabilities,

    /// <summary>The KeyPackage's or the leaf's extension list names one type twice (RFC 9420 §13).</summary>
    DuplicateExtension,

    /// <summary>The credential does not name the expected client.</summary>
    IdentityMismatch,
}
