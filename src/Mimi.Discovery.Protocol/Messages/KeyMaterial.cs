using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The body of <c>POST /keyMaterial/{targetUser}</c> (draft-ietf-mimi-protocol-06 §5.2: <c>KeyMaterialRequest</c>).
/// <see cref="RoomId"/> is an IdentifierUri and may be empty when the claim is not for a room.
/// </summary>
public sealed record KeyMaterialRequest(
    MimiProtocol Protocol,
    string RequestingUser,
    string TargetUser,
    string RoomId,
    ValueArray<MlsCipherSuite> AcceptableCipherSuites,
    MlsRequiredCapabilities RequiredCapabilities,
    ByteString RequesterSignatureKey,
    MlsCredential RequesterCredential,
    ByteString Signature)
{
    /// <summary>The label of the request signature: <c>SignWithLabel(key, "KeyMaterialRequestTBS", KeyMaterialRequestTBS)</c>.</summary>
    public const string SignatureLabel = "KeyMaterialRequestTBS";

    /// <summary>Encodes the request.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Encodes <c>KeyMaterialRequestTBS</c>: the request without its signature, the content to sign or verify.</summary>
    public byte[] EncodeTbs() => TlsCodec.Encode(this, static (x, w) => x.WriteTbs(w));

    /// <summary>Writes the request.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteTbs(writer);
        writer.WriteOpaque(Signature.Span, TlsLengthPrefix.Varint);
    }

    /// <summary>Decodes a request; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out KeyMaterialRequest? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(KeyMaterialRequest), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out KeyMaterialRequest value)
    {
        value = null;
        if (!Wire.TryReadProtocol(ref r, "protocol", out var protocol)
            || !Wire.TryReadUri(ref r, "requestingUser", out var requestingUser)
            || !Wire.TryReadUri(ref r, "targetUser", out var targetUser)
            || !Wire.TryReadUri(ref r, "roomId", out var roomId)
            || !r.TryReadVector<MlsCipherSuite>("acceptableCiphersuites", TlsLengthPrefix.Varint, ReadSuite, out var suites)
            || !r.TryReadStruct<MlsRequiredCapabilities>("requiredCapabilities", MlsRequiredCapabilities.TryRead, out var required)
            || !r.TryReadOpaque("requesterSignatureKey", TlsLengthPrefix.Varint, out ByteString key)
            || !r.TryReadStruct<MlsCredential>("requesterCredential", MlsCredential.TryRead, out var credential)
            || !r.TryReadOpaque("key_material_request_signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new KeyMaterialRequest(protocol, requestingUser, targetUser, roomId, suites, required, key, credential, signature);
        return true;
    }

    private void WriteTbs(TlsWriter w)
    {
        w.WriteUInt8((byte)Protocol);
        Wire.WriteUri(w, RequestingUser);
        Wire.WriteUri(w, TargetUser);
        Wire.WriteUri(w, RoomId);
        w.WriteVarint(checked(AcceptableCipherSuites.Count * 2));
        foreach (var suite in AcceptableCipherSuites)
        {
            w.WriteUInt16((ushort)suite);
        }

        RequiredCapabilities.Write(w);
        w.WriteOpaque(RequesterSignatureKey.Span, TlsLengthPrefix.Varint);
        RequesterCredential.Write(w);
    }

    private static bool ReadSuite(ref TlsReader r, out MlsCipherSuite value)
    {
        var ok = r.TryReadUInt16("cipher_suite", out var suite);
        value = (MlsCipherSuite)suite;
        return ok;
    }
}

/// <summary>The per-user outcome of a key material claim (draft-ietf-mimi-protocol-06 §5.2: <c>KeyMaterialUserCode</c>).</summary>
public enum KeyMaterialUserCode : byte
{
    /// <summary>Key material for every client.</summary>
    Success = 0,

    /// <summary>Key material for at least one client.</summary>
    PartialSuccess = 1,

    /// <summary>The protocol is not supported.</summary>
    IncompatibleProtocol = 2,

    /// <summary>No client had material compatible with the required capabilities.</summary>
    NoCompatibleMaterial = 3,

    /// <summary>The target user is unknown.</summary>
    UserUnknown = 4,

    /// <summary>The requester has no consent (also the privacy-preserving catch-all).</summary>
    NoConsent = 5,

    /// <summary>Consent exists, but not for this room.</summary>
    NoConsentForThisRoom = 6,

    /// <summary>The user existed and was deleted.</summary>
    UserDeleted = 7,
}

/// <summary>The per-client outcome of a key material claim (draft-ietf-mimi-protocol-06 §5.2: <c>KeyMaterialClientCode</c>).</summary>
public enum KeyMaterialClientCode : byte
{
    /// <summary>A KeyPackage is included.</summary>
    Success = 0,

    /// <summary>The client has no key material left.</summary>
    KeyMaterialExhausted = 1,

    /// <summary>Nothing compatible; the client's capabilities may be included.</summary>
    NothingCompatible = 2,
}

/// <summary>
/// One client's entry of a <see cref="KeyMaterialResponse"/> (<c>ClientKeyMaterial</c>): a KeyPackage when the status
/// is success, optionally the client's capabilities when it is nothingCompatible, nothing otherwise.
/// </summary>
public sealed record ClientKeyMaterial(KeyMaterialClientCode ClientStatus, string ClientUri, MlsKeyPackage? KeyPackage, MlsCapabilities? ClientCapabilities)
{
    /// <summary>A client with a KeyPackage.</summary>
    public static ClientKeyMaterial Claimed(string clientUri, MlsKeyPackage keyPackage) => new(KeyMaterialClientCode.Success, clientUri, keyPackage, null);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out ClientKeyMaterial value)
    {
        value = null;
        if (!r.TryReadEnum8("clientStatus", out KeyMaterialClientCode status) || !Wire.TryReadUri(ref r, "clientUri", out var uri))
        {
            return false;
        }

        MlsKeyPackage? keyPackage = null;
        MlsCapabilities? capabilities = null;
        var ok = status switch
        {
            KeyMaterialClientCode.Success => r.TryReadStruct<MlsKeyPackage>("keyPackage", MlsKeyPackage.TryRead, out keyPackage),
            KeyMaterialClientCode.NothingCompatible => r.TryReadOptional<MlsCapabilities>("clientCapabilities", MlsCapabilities.TryRead, out capabilities),
            _ => true,
        };
        if (!ok)
        {
            return false;
        }

        value = new ClientKeyMaterial(status, uri, keyPackage, capabilities);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt8((byte)ClientStatus);
        Wire.WriteUri(w, ClientUri);
        switch (ClientStatus)
        {
            case KeyMaterialClientCode.Success:
                (KeyPackage ?? throw new InvalidOperationException("A successful client entry needs a KeyPackage.")).Write(w);
                break;
            case KeyMaterialClientCode.NothingCompatible:
                Wire.WriteOptional(w, ClientCapabilities, static (c, w) => c.Write(w));
                break;
            default:
                break;
        }
    }
}

/// <summary>
/// The response to a key material claim (draft-ietf-mimi-protocol-06 §5.2: <c>KeyMaterialResponse</c>). Clients are
/// listed only for success, partialSuccess and noCompatibleMaterial; decoding rejects them otherwise (the draft's
/// MUST NOT).
/// </summary>
public sealed record KeyMaterialResponse(MimiProtocol Protocol, KeyMaterialUserCode UserStatus, string UserUri, ValueArray<ClientKeyMaterial> Clients)
{
    /// <summary>Encodes the response.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the response.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Clients.Count > 0 && !MayListClients(UserStatus))
        {
            throw new InvalidOperationException($"A {UserStatus} response must not list clients.");
        }

        writer.WriteUInt8((byte)Protocol);
        writer.WriteUInt8((byte)UserStatus);
        Wire.WriteUri(writer, UserUri);
        var scope = writer.BeginVector(TlsLengthPrefix.Varint);
        foreach (var client in Clients)
        {
            client.Write(writer);
        }

        writer.EndVector(scope);
    }

    /// <summary>Decodes a response; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out KeyMaterialResponse? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(KeyMaterialResponse), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out KeyMaterialResponse value)
    {
        value = null;
        if (!Wire.TryReadProtocol(ref r, "protocol", out var protocol)
            || !r.TryReadEnum8("userStatus", out KeyMaterialUserCode status)
            || !Wire.TryReadUri(ref r, "userUri", out var uri))
        {
            return false;
        }

        var clientsAt = r.Position;
        if (!r.TryReadVector<ClientKeyMaterial>("clients", TlsLengthPrefix.Varint, ClientKeyMaterial.TryRead, out var clients))
        {
            return false;
        }

        if (clients.Count > 0 && !MayListClients(status))
        {
            return r.FailAt(TlsErrorKind.InvalidValue, "clients", clientsAt, $"a {status} response must not list clients");
        }

        value = new KeyMaterialResponse(protocol, status, uri, clients);
        return true;
    }

    private static bool MayListClients(KeyMaterialUserCode status) =>
        status is KeyMaterialUserCode.Success or KeyMaterialUserCode.PartialSuccess or KeyMaterialUserCode.NoCompatibleMaterial;
}
