using System.Buffers;
using System.Text.Json;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Authority;

/// <summary>
/// The JWK set served at <c>/.well-known/jwks.json</c>: every key a mapping assertion may be
/// signed with, each <c>{"kty":"EC","crv":"P-256","x","y","kid","use":"sig","alg":"ES256"}</c>.
/// </summary>
public sealed class JwksDocument
{
    /// <summary>Media type to serve the document with.</summary>
    public const string MediaType = "application/jwk-set+json";

    /// <summary>Creates a document holding <paramref name="keys"/> in order.</summary>
    public JwksDocument(IReadOnlyList<EcPublicJwk> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = keys;
    }

    /// <summary>The keys, current signing key first.</summary>
    public IReadOnlyList<EcPublicJwk> Keys { get; }

    /// <summary>The document as UTF-8 JSON.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(128 + (Keys.Count * 200));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in Keys)
            {
                writer.WriteStartObject();
                writer.WriteString("kty", "EC");
                writer.WriteString("crv", "P-256");
                writer.WriteString("x", key.X);
                writer.WriteString("y", key.Y);
                writer.WriteString("kid", key.KeyId);
                writer.WriteString("use", "sig");
                writer.WriteString("alg", "ES256");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The document as JSON text.</summary>
    public string ToJson() => System.Text.Encoding.UTF8.GetString(ToUtf8Json());

    /// <summary>
    /// Reads a JWK set, keeping the EC P-256 signing keys (other key types are skipped, as RFC 7517
    /// section 5 allows). Throws <see cref="FormatException"/> when the document is not a JWK set.
    /// </summary>
    public static JwksDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (!UntrustedJson.TryParse(utf8Json.ToArray(), out var document))
        {
            throw new FormatException("The JWK set is not JSON text (malformed, nested too deep, or not valid Unicode).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("A JWK set needs a \"keys\" array.");
            }

            var result = new List<EcPublicJwk>();
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object || Text(key, "kty") != "EC" || Text(key, "crv") != "P-256" ||
                    Text(key, "use") is not (null or "sig") || Text(key, "alg") is not (null or "ES256"))
                {
                    continue;
                }

                var jwk = EcPublicJwk.FromCoordinates(
                    Text(key, "x") ?? throw new FormatException("EC JWK without \"x\"."),
                    Text(key, "y") ?? throw new FormatException("EC JWK without \"y\"."));
                if (Text(key, "kid") is { } kid && kid != jwk.KeyId)
                {
                    throw new FormatException($"JWK kid '{kid}' is not the key's RFC 7638 thumbprint.");
                }

                result.Add(jwk);
            }

            return new JwksDocument(result);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
