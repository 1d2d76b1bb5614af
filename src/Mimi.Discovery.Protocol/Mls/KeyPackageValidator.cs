using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// Checks a KeyPackage received for upload or handed out on claim, per RFC 9420 §10.1 and the LeafNode rules of
/// §7.2–7.3 that apply outside a group: version mls10, an accepted cipher suite, a <c>key_package</c> leaf whose
/// lifetime covers now, an init key distinct from the encryption key, both signatures (<c>KeyPackageTBS</c> and
/// <c>LeafNodeTBS</c>) verified with the leaf's signature key, and capabilities that list the KeyPackage's own
/// version, cipher suite, credential type and non-default extensions, with no extension type twice. Unknown and GREASE code points in
/// capabilities are accepted. Expected outcomes are values, never exceptions; the validator is thread-safe.
/// </summary>
public sealed class KeyPackageValidator
{
    private const ushort Mls10 = 1;
    private readonly TimeProvider _time;
    private readonly HashSet<MlsCipherSuite> _suites;
    private readonly long _skewSeconds;
    private readonly long? _maximumLifetimeSeconds;

    /// <summary>Creates a validator.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException">The options name a cipher suite whose signatures cannot be verified here, or a negative skew.</exception>
    public KeyPackageValidator(KeyPackageValidatorOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new KeyPackageValidatorOptions();
        _time = timeProvider ?? TimeProvider.System;
        _suites = [.. options.CipherSuites];
        foreach (var suite in _suites)
        {
            if (!MlsSignature.IsSupported(suite))
            {
                throw new ArgumentException($"Cipher suite 0x{(ushort)suite:x4} cannot be verified here.", nameof(options));
            }
        }

        if (options.ClockSkew < TimeSpan.Zero)
        {
            throw new ArgumentException("ClockSkew must not be negative.", nameof(options));
        }

        _skewSeconds = (long)options.ClockSkew.TotalSeconds;
        _maximumLifetimeSeconds = options.MaximumLifetime is { } max ? (long)max.TotalSeconds : null;
    }

    /// <summary>Decodes an MLSMessage that must carry a KeyPackage (wire format mls_key_package), then validates it.</summary>
    /// <param name="message">The encoded MLSMessage.</param>
    /// <param name="expectedIdentity">When given, the basic credential's identity must equal these bytes (the MIMI client URI).</param>
    public KeyPackageValidation ValidateMessage(ReadOnlySpan<byte> message, ReadOnlySpan<byte> expectedIdentity = default)
    {
        if (!MlsMessage.TryDecode(message, out var decoded, out var error))
        {
            return KeyPackageValidation.Refuse(KeyPackageProblem.Malformed, error.Message, null);
        }

        if (decoded.KeyPackage is null)
        {
            return KeyPackageValidation.Refuse(KeyPackageProblem.Malformed, $"The MLSMessage is a {decoded.WireFormat}, not a KeyPackage.", null);
        }

        return Validate(decoded.KeyPackage, expectedIdentity);
    }

    /// <summary>Validates a decoded KeyPackage.</summary>
    /// <param name="keyPackage">The KeyPackage.</param>
    /// <param name="expectedIdentity">When given, the basic credential's identity must equal these bytes (the MIMI client URI).</param>
    public KeyPackageValidation Validate(MlsKeyPackage keyPackage, ReadOnlySpan<byte> expectedIdentity = default)
    {
        ArgumentNullException.ThrowIfNull(keyPackage);
        var leaf = keyPackage.LeafNode;
        var suite = keyPackage.CipherSuite;

        if (keyPackage.Version != Mls10)
        {
            return Refuse(KeyPackageProblem.UnsupportedVersion, $"Protocol version {keyPackage.Version} is not mls10 (1).");
        }

        if (!_suites.Contains(suite))
        {
            return Refuse(KeyPackageProblem.UnsupportedCipherSuite, $"Cipher suite 0x{(ushort)suite:x4} is not accepted here.");
        }

        if (leaf.Source != MlsLeafNodeSource.KeyPackage)
        {
            return Refuse(KeyPackageProblem.WrongLeafNodeSource, $"The leaf node's source is {leaf.Source}, not key_package.");
        }

        var lifetime = CheckLifetime(leaf.NotBefore!.Value, leaf.NotAfter!.Value);
        if (lifetime is { } lifetimeProblem)
        {
            return Refuse(lifetimeProblem.Problem, lifetimeProblem.Message);
        }

        if (keyPackage.InitKey.Equals(leaf.EncryptionKey))
        {
            return Refuse(KeyPackageProblem.InitKeyEqualsEncryptionKey, "The init key equals the leaf's encryption key.");
        }

        var capabilities = leaf.Capabilities;
        if (!Contains(capabilities.Versions, keyPackage.Version))
        {
            return Refuse(KeyPackageProblem.CapabilitiesIncomplete, "The leaf's capabilities do not list protocol version mls10.");
        }

        if (!Contains(capabilities.CipherSuites, (ushort)suite))
        {
            return Refuse(KeyPackageProblem.CapabilitiesIncomplete, $"The leaf's capabilities do not list its own cipher suite 0x{(ushort)suite:x4}.");
        }

        if (!Contains(capabilities.Credentials, (ushort)leaf.Credential.CredentialType))
        {
            return Refuse(KeyPackageProblem.CapabilitiesIncomplete, $"The leaf's capabilities do not list its own credential type {leaf.Credential.CredentialType}.");
        }

        if (FindDuplicate(leaf.Extensions) is { } leafDuplicate)
        {
            return Refuse(KeyPackageProblem.DuplicateExtension, $"The leaf node carries extension 0x{leafDuplicate:x4} more than once.");
        }

        if (FindDuplicate(keyPackage.Extensions) is { } duplicate)
        {
            return Refuse(KeyPackageProblem.DuplicateExtension, $"The KeyPackage carries extension 0x{duplicate:x4} more than once.");
        }

        if (FindUnlistedExtension(leaf.Extensions, capabilities) is { } leafExtension)
        {
            return Refuse(KeyPackageProblem.ExtensionNotInCapabilities, $"The leaf node carries extension 0x{leafExtension:x4}, which its capabilities do not list.");
        }

        if (FindUnlistedExtension(keyPackage.Extensions, capabilities) is { } extension)
        {
            return Refuse(KeyPackageProblem.ExtensionNotInCapabilities, $"The KeyPackage carries extension 0x{extension:x4}, which its leaf's capabilities do not list.");
        }

        if (!expectedIdentity.IsEmpty)
        {
            if (leaf.Credential.CredentialType != MlsCredentialType.Basic)
            {
                return Refuse(KeyPackageProblem.IdentityMismatch, $"A {leaf.Credential.CredentialType} credential cannot be matched to an expected identity here; a basic credential is needed.");
            }

            if (!leaf.Credential.Identity.Span.SequenceEqual(expectedIdentity))
            {
                return Refuse(KeyPackageProblem.IdentityMismatch, "The credential's identity is not the expected client.");
            }
        }

        // Signatures last: they are the expensive part, and a cheap refusal should not cost a verification.
        var leafCheck = MlsSignature.VerifyWithLabel(suite, leaf.SignatureKey.Span, "LeafNodeTBS", leaf.SignedContent.Span, leaf.Signature.Span);
        if (leafCheck == MlsSignatureCheck.BadKey)
        {
            return Refuse(KeyPackageProblem.InvalidSignatureKey, $"The leaf's signature key ({leaf.SignatureKey.Length} bytes) is not a key of cipher suite 0x{(ushort)suite:x4}.");
        }

        if (leafCheck != MlsSignatureCheck.Valid)
        {
            return Refuse(KeyPackageProblem.InvalidLeafNodeSignature, "The LeafNode signature does not verify with the leaf's signature key.");
        }

        if (MlsSignature.VerifyWithLabel(suite, leaf.SignatureKey.Span, "KeyPackageTBS", keyPackage.SignedContent.Span, keyPackage.Signature.Span) != MlsSignatureCheck.Valid)
        {
            return Refuse(KeyPackageProblem.InvalidKeyPackageSignature, "The KeyPackage signature does not verify with the leaf's signature key.");
        }

        return new KeyPackageValidation(KeyPackageProblem.None, string.Empty, keyPackage);

        KeyPackageValidation Refuse(KeyPackageProblem problem, string message) => KeyPackageValidation.Refuse(problem, message, keyPackage);
    }

    private (KeyPackageProblem Problem, string Message)? CheckLifetime(ulong notBefore, ulong notAfter) =>
        CheckLifetime(notBefore, notAfter, _time.GetUtcNow().ToUnixTimeSeconds(), _skewSeconds, _maximumLifetimeSeconds);

    internal static (KeyPackageProblem Problem, string Message)? CheckLifetime(ulong notBefore, ulong notAfter, long now, long skewSeconds, long? maximumLifetimeSeconds)
    {
        if (notAfter < notBefore)
        {
            return (KeyPackageProblem.LifetimeTooLong, $"The lifetime ends ({notAfter}) before it starts ({notBefore}).");
        }

        // Unix seconds past long.MaxValue are far in the future; compare without overflow.
        if (notBefore > (ulong)long.MaxValue || (long)notBefore - skewSeconds > now)
        {
            return (KeyPackageProblem.NotYetValid, $"The KeyPackage is valid from {notBefore}; it is {now} now.");
        }

        if (notAfter <= (ulong)long.MaxValue && (long)notAfter + skewSeconds < now)
        {
            return (KeyPackageProblem.Expired, $"The KeyPackage expired at {notAfter}; it is {now} now.");
        }

        if (maximumLifetimeSeconds is { } maximum && notAfter - notBefore > (ulong)maximum)
        {
            return (KeyPackageProblem.LifetimeTooLong, $"The lifetime of {notAfter - notBefore} s exceeds the {maximum} s accepted.");
        }

        return null;
    }

    // RFC 9420 §7.2: every non-default extension type in use must be listed in capabilities.extensions. GREASE
    // extensions (§13.5) carry no meaning and are let through whether listed or not.
    internal static ushort? FindUnlistedExtension(ValueArray<MlsExtension> extensions, MlsCapabilities capabilities)
    {
        foreach (var extension in extensions)
        {
            var type = extension.ExtensionType;
            if (!MlsExtensionTypes.IsDefault(type) && !MlsExtensionTypes.IsGrease(type) && !Contains(capabilities.Extensions, type))
            {
                return type;
            }
        }

        return null;
    }

    internal static ushort? FindDuplicate(ValueArray<MlsExtension> extensions)
    {
        for (var i = 1; i < extensions.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (extensions[i].ExtensionType == extensions[j].ExtensionType)
                {
                    return extensions[i].ExtensionType;
                }
            }
        }

        return null;
    }

    internal static bool Contains(ValueArray<ushort> codes, ushort code)
    {
        foreach (var c in codes)
        {
            if (c == code)
            {
                return true;
            }
        }

        return false;
    }
}
