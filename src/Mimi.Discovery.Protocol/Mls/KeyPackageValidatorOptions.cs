namespace Mimi.Discovery.Protocol;

/// <summary>Settings of a <see cref="KeyPackageValidator"/>.</summary>
public sealed class KeyPackageValidatorOptions
{
    /// <summary>
    /// The cipher suites accepted. Defaults to the seven suites of RFC 9420; every suite listed must be one whose
    /// signature scheme <see cref="MlsSignature"/> implements.
    /// </summary>
    public IReadOnlyCollection<MlsCipherSuite> CipherSuites { get; init; } =
    [
        MlsCipherSuite.X25519Aes128GcmSha256Ed25519,
        MlsCipherSuite.P256Aes128GcmSha256P256,
        MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519,
        MlsCipherSuite.X448Aes256GcmSha512Ed448,
        MlsCipherSuite.P521Aes256GcmSha512P521,
        MlsCipherSuite.X448ChaCha20Poly1305Sha512Ed448,
        MlsCipherSuite.P384Aes256GcmSha384P384,
    ];

    /// <summary>How far the lifetime bounds may be off the local clock. Defaults to five minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest lifetime (<c>not_after - not_before</c>) accepted, or <see langword="null"/> (the default) for no
    /// limit. RFC 9420 §10.1 lets a recipient refuse KeyPackages that are valid for too long.
    /// </summary>
    public TimeSpan? MaximumLifetime { get; init; }
}
