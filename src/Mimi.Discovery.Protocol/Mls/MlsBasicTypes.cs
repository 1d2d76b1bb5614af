using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>An MLS extension (RFC 9420 §13): a type and opaque data. Unknown (including GREASE) types are kept.</summary>
public sealed record MlsExtension(ushort ExtensionType, ByteString Data)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsExtension value)
    {
        value = null;
        if (!r.TryReadUInt16("extension_type", out var type) || !r.TryReadOpaque("extension_data", TlsLengthPrefix.Varint, out ByteString data))
        {
            return false;
        }

        value = new MlsExtension(type, data);
        return true;
    }

    internal static bool TryReadList(ref TlsReader r, string field, out ValueArray<MlsExtension> value) =>
        r.TryReadVector<MlsExtension>(field, TlsLengthPrefix.Varint, TryRead, out value);

    internal static void WriteList(TlsWriter w, ValueArray<MlsExtension> extensions)
    {
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var e in extensions)
        {
            w.WriteUInt16(e.ExtensionType);
            w.WriteOpaque(e.Data.Span, TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
    }
}

/// <summary>
/// An MLS Credential (RFC 9420 §5.3). Only <c>basic</c> and <c>x509</c> have a defined encoding, so a
/// credential of another type cannot be framed and fails to decode.
/// </summary>
public sealed record MlsCredential(MlsCredentialType CredentialType, ByteString Identity, ValueArray<ByteString> Certificates)
{
    /// <summary>A basic credential with the given identity.</summary>
    public static MlsCredential Basic(ByteString identity) => new(MlsCredentialType.Basic, identity, default);

    /// <summary>An X.509 credential with the given DER certificates, leaf first.</summary>
    public static MlsCredential X509(ValueArray<ByteString> certificates) => new(MlsCredentialType.X509, default, certificates);

    /// <summary>
    /// The identity of a basic credential as UTF-8 text (MIMI clients use their client URI); null for another credential
    /// type, an empty identity or bytes that are not UTF-8.
    /// </summary>
    public string? BasicIdentity
    {
        get
        {
            if (CredentialType != MlsCredentialType.Basic || Identity.Length == 0)
            {
                return null;
            }

            try
            {
                return StrictUtf8.GetString(Identity.Span);
            }
            catch (System.Text.DecoderFallbackException)
            {
                return null;
            }
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, true);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsCredential value)
    {
        value = null;
        if (!r.TryReadEnum16("credential_type", out MlsCredentialType type))
        {
            return false;
        }

        if (type == MlsCredentialType.Basic)
        {
            if (!r.TryReadOpaque("identity", TlsLengthPrefix.Varint, out ByteString identity))
            {
                return false;
            }

            value = Basic(identity);
            return true;
        }

        if (!r.TryReadVector<ByteString>("certificates", TlsLengthPrefix.Varint, ReadCertificate, out var certificates))
        {
            return false;
        }

        value = X509(certificates);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt16((ushort)CredentialType);
        if (CredentialType == MlsCredentialType.Basic)
        {
            w.WriteOpaque(Identity.Span, TlsLengthPrefix.Varint);
            return;
        }

        if (CredentialType != MlsCredentialType.X509)
        {
            throw new InvalidOperationException($"Credential type {(ushort)CredentialType} has no known encoding.");
        }

        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var certificate in Certificates)
        {
            w.WriteOpaque(certificate.Span, TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
    }

    private static bool ReadCertificate(ref TlsReader r, out ByteString value) =>
        r.TryReadOpaque("cert_data", TlsLengthPrefix.Varint, out value);
}

/// <summary>
/// MLS Capabilities (RFC 9420 §7.2). Every list is kept as raw code points: ts-mls and other clients add
/// random GREASE values (RFC 9420 §13.5), which a parser must accept.
/// </summary>
public sealed record MlsCapabilities(
    ValueArray<ushort> Versions,
    ValueArray<ushort> CipherSuites,
    ValueArray<ushort> Extensions,
    ValueArray<ushort> Proposals,
    ValueArray<ushort> Credentials)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsCapabilities value)
    {
        value = null;
        if (!Codes.TryRead(ref r, "versions", out var versions)
            || !Codes.TryRead(ref r, "cipher_suites", out var suites)
            || !Codes.TryRead(ref r, "extensions", out var extensions)
            || !Codes.TryRead(ref r, "proposals", out var proposals)
            || !Codes.TryRead(ref r, "credentials", out var credentials))
        {
            return false;
        }

        value = new MlsCapabilities(versions, suites, extensions, proposals, credentials);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        Codes.Write(w, Versions);
        Codes.Write(w, CipherSuites);
        Codes.Write(w, Extensions);
        Codes.Write(w, Proposals);
        Codes.Write(w, Credentials);
    }
}

/// <summary>MLS RequiredCapabilities (RFC 9420 §11.1): extension, proposal and credential types a requester needs.</summary>
public sealed record MlsRequiredCapabilities(
    ValueArray<ushort> ExtensionTypes,
    ValueArray<ushort> ProposalTypes,
    ValueArray<ushort> CredentialTypes)
{
    /// <summary>Nothing required.</summary>
    public static MlsRequiredCapabilities None { get; } = new(default, default, default);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsRequiredCapabilities value)
    {
        value = null;
        if (!Codes.TryRead(ref r, "extension_types", out var extensions)
            || !Codes.TryRead(ref r, "proposal_types", out var proposals)
            || !Codes.TryRead(ref r, "credential_types", out var credentials))
        {
            return false;
        }

        value = new MlsRequiredCapabilities(extensions, proposals, credentials);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        Codes.Write(w, ExtensionTypes);
        Codes.Write(w, ProposalTypes);
        Codes.Write(w, CredentialTypes);
    }
}

/// <summary>An HPKE ciphertext (RFC 9420 §5.1.3 / §7.6).</summary>
public sealed record HpkeCiphertext(ByteString KemOutput, ByteString Ciphertext)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out HpkeCiphertext value)
    {
        value = null;
        if (!r.TryReadOpaque("kem_output", TlsLengthPrefix.Varint, out ByteString kem)
            || !r.TryReadOpaque("ciphertext", TlsLengthPrefix.Varint, out ByteString ct))
        {
            return false;
        }

        value = new HpkeCiphertext(kem, ct);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteOpaque(KemOutput.Span, TlsLengthPrefix.Varint);
        w.WriteOpaque(Ciphertext.Span, TlsLengthPrefix.Varint);
    }
}

/// <summary>An MLS ExternalSender (RFC 9420 §12.1.8.1): a signature key and its credential.</summary>
public sealed record MlsExternalSender(ByteString SignatureKey, MlsCredential Credential)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsExternalSender value)
    {
        value = null;
        if (!r.TryReadOpaque("signature_key", TlsLengthPrefix.Varint, out ByteString key)
            || !r.TryReadStruct<MlsCredential>("credential", MlsCredential.TryRead, out var credential))
        {
            return false;
        }

        value = new MlsExternalSender(key, credential);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteOpaque(SignatureKey.Span, TlsLengthPrefix.Varint);
        Credential.Write(w);
    }
}

/// <summary>Vectors of 16-bit code points (<c>uint16 x&lt;V&gt;</c>).</summary>
internal static class Codes
{
    public static bool TryRead(ref TlsReader r, string field, out ValueArray<ushort> value) =>
        r.TryReadVector(field, TlsLengthPrefix.Varint, ReadOne, out value);

    public static void Write(TlsWriter w, ValueArray<ushort> codes)
    {
        w.WriteVarint(checked(codes.Count * 2));
        foreach (var code in codes)
        {
            w.WriteUInt16(code);
        }
    }

    private static bool ReadOne(ref TlsReader r, out ushort value) => r.TryReadUInt16("value", out value);
}
