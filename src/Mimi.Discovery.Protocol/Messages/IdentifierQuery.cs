using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>What a query element matches (draft-ietf-mimi-protocol-06 §5.8: <c>SearchIdentifierType</c>).</summary>
public enum SearchIdentifierType : byte
{
    /// <summary>The whole handle URI, exactly.</summary>
    Handle = 1,

    /// <summary>The nickname or handle user part, exactly.</summary>
    Nick = 2,

    /// <summary>The addr-spec of an email address, exactly.</summary>
    Email = 3,

    /// <summary>An international telephone number with "+", exactly.</summary>
    Phone = 4,

    /// <summary>A case-insensitive substring of a name field.</summary>
    PartialName = 5,

    /// <summary>A substring of any searchable profile field.</summary>
    WholeProfile = 6,

    /// <summary>An OIDC standard claim, named in <see cref="QueryElement.FieldName"/>.</summary>
    OidcStdClaim = 7,

    /// <summary>A vCard property, named in <see cref="QueryElement.FieldName"/>.</summary>
    VcardField = 8,
}

/// <summary>
/// One condition of an identifier query (<c>QueryElement</c>). <see cref="FieldName"/> is the claim name
/// (oidcStdClaim) or property name (vcardField) and is on the wire only for those two types.
/// </summary>
public sealed record QueryElement(SearchIdentifierType SearchType, string? FieldName, string SearchValue)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out QueryElement value)
    {
        value = null;
        if (!r.TryReadEnum8("searchType", out SearchIdentifierType type))
        {
            return false;
        }

        string? name = null;
        if (type is SearchIdentifierType.OidcStdClaim or SearchIdentifierType.VcardField)
        {
            if (!r.TryReadUtf8(type == SearchIdentifierType.OidcStdClaim ? "claimName" : "propertyName", TlsLengthPrefix.Varint, out var n))
            {
                return false;
            }

            name = n;
        }

        if (!r.TryReadUtf8("searchValue", TlsLengthPrefix.Varint, out var search))
        {
            return false;
        }

        value = new QueryElement(type, name, search);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt8((byte)SearchType);
        if (SearchType is SearchIdentifierType.OidcStdClaim or SearchIdentifierType.VcardField)
        {
            w.WriteUtf8(FieldName ?? throw new InvalidOperationException($"A {SearchType} query element needs a field name."), TlsLengthPrefix.Varint);
        }

        w.WriteUtf8(SearchValue, TlsLengthPrefix.Varint);
    }
}

/// <summary>The body of <c>POST /identifierQuery/{domain}</c> (draft-ietf-mimi-protocol-06 §5.8: <c>IdentifierRequest</c>); every element must match.</summary>
public sealed record IdentifierRequest(ValueArray<QueryElement> QueryElements, AppDataDictionary Extensions)
{
    /// <summary>Encodes the request.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the request.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var scope = writer.BeginVector(TlsLengthPrefix.Varint);
        foreach (var element in QueryElements)
        {
            element.Write(writer);
        }

        writer.EndVector(scope);
        Extensions.Write(writer);
    }

    /// <summary>Decodes a request; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out IdentifierRequest? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(IdentifierRequest), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out IdentifierRequest value)
    {
        value = null;
        if (!r.TryReadVector<QueryElement>("query_elements", TlsLengthPrefix.Varint, QueryElement.TryRead, out var elements)
            || !r.TryReadStruct<AppDataDictionary>("id_request_extensions", AppDataDictionary.TryRead, out var extensions))
        {
            return false;
        }

        value = new IdentifierRequest(elements, extensions);
        return true;
    }
}

/// <summary>The outcome of an identifier query (<c>IdentifierQueryCode</c>).</summary>
public enum IdentifierQueryCode : byte
{
    /// <summary>At least one match.</summary>
    Success = 0,

    /// <summary>No match.</summary>
    NotFound = 1,

    /// <summary>The query must be more exact.</summary>
    Ambiguous = 2,

    /// <summary>Queries (or this combination of fields) are not allowed.</summary>
    Forbidden = 3,

    /// <summary>A queried field is not supported.</summary>
    UnsupportedField = 4,
}

/// <summary>Where a profile field's name comes from (<c>FieldSource</c>).</summary>
public enum FieldSource : byte
{
    /// <summary>An OIDC standard claim.</summary>
    OidcStdClaim = 7,

    /// <summary>A vCard property.</summary>
    VcardField = 8,
}

/// <summary>One field of a found profile (<c>ProfileField</c>); the draft's <c>string fieldName</c> is read as UTF-8 <c>opaque&lt;V&gt;</c>.</summary>
public sealed record ProfileField(FieldSource FieldSource, string FieldName, ByteString FieldValue)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out ProfileField value)
    {
        value = null;
        if (!r.TryReadEnum8("fieldSource", out FieldSource source)
            || !r.TryReadUtf8("fieldName", TlsLengthPrefix.Varint, out var name)
            || !r.TryReadOpaque("fieldValue", TlsLengthPrefix.Varint, out ByteString fieldValue))
        {
            return false;
        }

        value = new ProfileField(source, name, fieldValue);
        return true;
    }
}

/// <summary>A found user (<c>UserProfile</c>): a stable URI and the fields the user lets be seen.</summary>
public sealed record UserProfile(string StableUri, ValueArray<ProfileField> Fields)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out UserProfile value)
    {
        value = null;
        if (!Wire.TryReadUri(ref r, "stableUri", out var uri)
            || !r.TryReadVector<ProfileField>("fields", TlsLengthPrefix.Varint, ProfileField.TryRead, out var fields))
        {
            return false;
        }

        value = new UserProfile(uri, fields);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        Wire.WriteUri(w, StableUri);
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var field in Fields)
        {
            w.WriteUInt8((byte)field.FieldSource);
            w.WriteUtf8(field.FieldName, TlsLengthPrefix.Varint);
            w.WriteOpaque(field.FieldValue.Span, TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
    }
}

/// <summary>The response to an identifier query (draft-ietf-mimi-protocol-06 §5.8: <c>IdentifierResponse</c>).</summary>
public sealed record IdentifierResponse(IdentifierQueryCode ResponseCode, ValueArray<string> Uris, ValueArray<UserProfile> FoundProfiles, AppDataDictionary Extensions)
{
    /// <summary>No match (also what an undiscoverable user looks like).</summary>
    public static IdentifierResponse NotFound { get; } = new(IdentifierQueryCode.NotFound, default, default, AppDataDictionary.Empty);

    /// <summary>Encodes the response.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.WriteTo(w));

    /// <summary>Writes the response.</summary>
    public void WriteTo(TlsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt8((byte)ResponseCode);
        var uris = writer.BeginVector(TlsLengthPrefix.Varint);
        foreach (var uri in Uris)
        {
            Wire.WriteUri(writer, uri);
        }

        writer.EndVector(uris);
        var profiles = writer.BeginVector(TlsLengthPrefix.Varint);
        foreach (var profile in FoundProfiles)
        {
            profile.Write(writer);
        }

        writer.EndVector(profiles);
        Extensions.Write(writer);
    }

    /// <summary>Decodes a response; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out IdentifierResponse? value, out TlsError error, TlsReaderOptions? options = null) =>
        TlsCodec.TryDecode(data, options, nameof(IdentifierResponse), TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out IdentifierResponse value)
    {
        value = null;
        if (!r.TryReadEnum8("responseCode", out IdentifierQueryCode code)
            || !r.TryReadVector<string>("uri", TlsLengthPrefix.Varint, Wire.TryReadUriItem, out var uris)
            || !r.TryReadVector<UserProfile>("foundProfiles", TlsLengthPrefix.Varint, UserProfile.TryRead, out var profiles)
            || !r.TryReadStruct<AppDataDictionary>("id_response_extensions", AppDataDictionary.TryRead, out var extensions))
        {
            return false;
        }

        value = new IdentifierResponse(code, uris, profiles, extensions);
        return true;
    }
}
