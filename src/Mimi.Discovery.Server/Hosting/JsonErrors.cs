using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Turns the serializer's <see cref="JsonException"/> into a <see cref="JsonError"/>: its messages name .NET types
/// ("could not be converted to System.String[]"), so the expected type is told from the wire type's contract instead.
/// </summary>
internal static class JsonErrors
{
    public static JsonError Describe(JsonException exception, JsonTypeInfo? body)
    {
        var segments = PathSegments(exception.Path);
        var field = segments.Count == 0 ? null : Field(segments);
        var subject = field is null ? "The JSON value" : $"'{field}'";
        var position = exception.LineNumber is { } line && exception.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {column + 1})")
            : "";

        switch (exception.InnerException)
        {
            // The reader's own messages say what is wrong with the syntax and name no type. Broken syntax is the whole
            // text's fault, not that of the field where the reader stopped.
            case JsonException reader:
                return new JsonError(null, "json.malformed", $"Not valid JSON{position}: {ReaderReason(reader.Message)}");

            // The reader throws this for a string that is not Unicode and for a token of another type alike; only the
            // message tells them apart.
            case InvalidOperationException text when text.Message.Contains("UTF", StringComparison.Ordinal):
                return new JsonError(field, "json.invalid-text", $"{subject} is not valid Unicode text (a lone surrogate or invalid UTF-8){position}.");
        }

        var expected = body is null ? null : Expected(body, segments);
        return new JsonError(field, "json.wrong-type", expected is null
            ? $"{subject} has the wrong JSON type or an out-of-range value{position}."
            : $"{subject} must be {expected}{position}.");
    }

    /// <summary>What a value of <paramref name="type"/> looks like in JSON ("a string", "an array of strings").</summary>
    public static string Describe(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Describe(inner) + " or null";
        }

        if (type == typeof(string) || type == typeof(Uri))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return "an RFC 3339 date-time string";
        }

        if (type == typeof(TimeSpan))
        {
            return "a duration string (hh:mm:ss)";
        }

        if (type == typeof(Guid))
        {
            return "a UUID string";
        }

        if (type == typeof(byte[]))
        {
            return "a base64 string";
        }

        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64:
                return "a whole number in range";
            case TypeCode.Single or TypeCode.Double or TypeCode.Decimal:
                return "a number";
        }

        if (type == typeof(JsonElement))
        {
            return "a JSON value";
        }

        var element = type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element is null || type.IsAssignableTo(typeof(System.Collections.IDictionary)) ? "an object" : "an array of " + Plural(Describe(element));
    }

    /// <summary>The expected JSON at <paramref name="segments"/> below <paramref name="body"/>, from the contract the serializer used.</summary>
    private static string? Expected(JsonTypeInfo body, IReadOnlyList<object> segments)
    {
        var info = body;
        foreach (var segment in segments)
        {
            var next = segment switch
            {
                string name when info.Kind == JsonTypeInfoKind.Object =>
                    info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType,
                string when info.Kind == JsonTypeInfoKind.Dictionary => info.ElementType,
                int when info.Kind == JsonTypeInfoKind.Enumerable => info.ElementType,
                _ => null,
            };
            if (next is null)
            {
                return null;
            }

            info = info.Options.GetTypeInfo(next);
        }

        return info.Kind switch
        {
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            _ => Describe(info.Type),
        };
    }

    /// <summary>Reads the serializer's path (<c>$.keys[0]</c>, <c>$['a b']</c>) into names and indices.</summary>
    private static List<object> PathSegments(string? path)
    {
        var segments = new List<object>();
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            return segments;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['", StringComparison.Ordinal))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    ? index
                    : path[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    private static string Field(IEnumerable<object> segments)
    {
        var field = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                field.Append(CultureInfo.InvariantCulture, $"[{index}]");
            }
            else
            {
                field.Append(field.Length == 0 ? "" : ".").Append(segment);
            }
        }

        return field.ToString();
    }

    // "'x' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 1." without the position, given separately.
    private static string ReaderReason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var pathCut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var end = new[] { cut, pathCut }.Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return message[..end].Trim();
    }

    private static string Plural(string description) => description switch
    {
        "a string" => "strings",
        "an object" => "objects",
        "a whole number in range" => "whole numbers",
        "a number" => "numbers",
        "true or false" => "true or false values",
        _ => "values (" + description + ")",
    };
}
