using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Mimi.Discovery.Identifiers;

/// <summary>
/// Parsing JSON that comes from outside (JOSE headers and payloads, JWKs, directory documents, answers of other
/// services), for every project that reads such input. System.Text.Json
/// accepts invalid UTF-8 and lone surrogate escapes (<c>"\ud800"</c>) inside strings and only throws when such a
/// string is read, far from the parse. These methods refuse such documents where they are parsed, so that reading a
/// name or a string of an accepted document never throws.
/// </summary>
public static class UntrustedJson
{
    /// <summary>The nesting accepted: JOSE objects and the documents read from other services nest a few levels.</summary>
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Parses <paramref name="utf8Json"/>: false when it is not JSON, nests deeper than <see cref="MaxDepth"/>, or holds a
    /// name or string that is not valid Unicode. The caller disposes the document.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8Json, [NotNullWhen(true)] out JsonDocument? document) =>
        TryParse(utf8Json, out document, out _);

    /// <summary>
    /// Parses <paramref name="utf8Json"/> like <see cref="TryParse(ReadOnlyMemory{byte}, out JsonDocument?)"/> and says
    /// why a document is refused: the parser's message, or that some name or string is not valid Unicode.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8Json, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        try
        {
            document = JsonDocument.Parse(utf8Json, Options);
        }
        catch (JsonException ex)
        {
            document = null;
            error = ex.Message;
            return false;
        }

        if (IsValidText(document.RootElement))
        {
            error = null;
            return true;
        }

        document.Dispose();
        document = null;
        error = "a name or string in it is not valid Unicode";
        return false;
    }

    /// <summary>
    /// Parses <paramref name="json"/> like <see cref="TryParse(ReadOnlyMemory{byte}, out JsonDocument?)"/>; a .NET string
    /// holding a lone surrogate is refused too.
    /// </summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out JsonDocument? document)
    {
        ArgumentNullException.ThrowIfNull(json);
        var utf8 = new byte[Encoding.UTF8.GetMaxByteCount(json.Length)];
        if (Utf8.FromUtf16(json, utf8, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            document = null;
            return false;
        }

        return TryParse(utf8.AsMemory(0, written), out document);
    }

    /// <summary>
    /// The string member <paramref name="name"/> of <paramref name="element"/>; null when the element is not an object,
    /// has no such member, or it is not a string. Never throws on a document this class accepted.
    /// </summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>
    /// True when every property name and string in <paramref name="element"/> reads as text: for elements that reached
    /// the service through another parser (a request body bound by the framework).
    /// </summary>
    public static bool IsValidText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryRead(element);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsValidText(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryRead(property) || !IsValidText(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    // The reader's own transcoding is the rule (no second decoder by hand); it throws only for text that is not Unicode.
    private static bool TryRead(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryRead(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
