using System.Text.Json;

namespace Mimi.Discovery.Storage;

/// <summary>Builds the before/after objects of audit events: named fields with plain values, nothing else.</summary>
public static class AuditChange
{
    /// <summary>
    /// A JSON object of <paramref name="fields"/>, in order. Values may be null, strings, booleans, integers, string
    /// lists, JSON elements (nested objects) or lists of them.
    /// </summary>
    /// <exception cref="ArgumentException">A value of another type.</exception>
    public static JsonElement Of(params (string Name, object? Value)[] fields)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                writer.WritePropertyName(name);
                Write(writer, value);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A public key as events name it: its kid and its RFC 7638 thumbprint.</summary>
    internal static JsonElement Key(string kid, string jwk) => Of(("kid", kid), ("thumbprint", JwkThumbprint.Of(jwk)));

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IEnumerable<string> texts:
                writer.WriteStartArray();
                foreach (var text in texts)
                {
                    writer.WriteStringValue(text);
                }

                writer.WriteEndArray();
                break;
            case IEnumerable<JsonElement> elements:
                writer.WriteStartArray();
                foreach (var element in elements)
                {
                    element.WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"An audit change holds no {value.GetType().Name}.", nameof(value));
        }
    }
}
