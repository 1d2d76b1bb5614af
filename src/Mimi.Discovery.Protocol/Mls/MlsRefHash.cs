using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>RFC 9420 §5.2 hash references: <c>RefHash(label, value) = Hash(RefHashInput)</c>.</summary>
public static class MlsRefHash
{
    /// <summary>The label of a KeyPackageRef.</summary>
    public const string KeyPackageLabel = "MLS 1.0 KeyPackage Reference";

    /// <summary>The label of a ProposalRef.</summary>
    public const string ProposalLabel = "MLS 1.0 Proposal Reference";

    /// <summary>The hash algorithm of a cipher suite, if it is one of the RFC 9420 suites.</summary>
    public static bool TryGetHashAlgorithm(MlsCipherSuite suite, out HashAlgorithmName hash)
    {
        hash = suite switch
        {
            MlsCipherSuite.X25519Aes128GcmSha256Ed25519
                or MlsCipherSuite.P256Aes128GcmSha256P256
                or MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519 => HashAlgorithmName.SHA256,
            MlsCipherSuite.X448Aes256GcmSha512Ed448
                or MlsCipherSuite.P521Aes256GcmSha512P521
                or MlsCipherSuite.X448ChaCha20Poly1305Sha512Ed448 => HashAlgorithmName.SHA512,
            MlsCipherSuite.P384Aes256GcmSha384P384 => HashAlgorithmName.SHA384,
            _ => default,
        };
        return hash != default;
    }

    /// <summary>
    /// Computes <c>RefHash(label, value)</c> with the suite's hash. Returns <see langword="false"/> for a suite
    /// whose hash is not known here.
    /// </summary>
    public static bool TryCompute(MlsCipherSuite suite, string label, ReadOnlySpan<byte> value, out ByteString reference)
    {
        ArgumentNullException.ThrowIfNull(label);
        reference = default;
        if (!TryGetHashAlgorithm(suite, out var hash))
        {
            return false;
        }

        using var w = new TlsWriter(value.Length + label.Length + 16);
        w.WriteUtf8(label, TlsLengthPrefix.Varint);
        w.WriteOpaque(value, TlsLengthPrefix.Varint);
        reference = Hash(hash, w.WrittenSpan);
        return true;
    }

    /// <summary>The digest of <paramref name="input"/> with one of the suites' hashes (SHA-256, SHA-384 or SHA-512).</summary>
    internal static ByteString Hash(HashAlgorithmName hash, ReadOnlySpan<byte> input) => ByteString.Wrap(
        hash == HashAlgorithmName.SHA256 ? SHA256.HashData(input)
        : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(input)
        : SHA512.HashData(input));
}
