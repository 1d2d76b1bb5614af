using System.Security.Cryptography;
using System.Text.Json;

namespace Mimi.Discovery.Storage;

/// <summary>RFC 7638 thumbprints of stored public JWKs, so an audit event names a key by more than the kid its owner chose.</summary>
internal static class JwkThumbprint
{
    /// <summary>The base64url SHA-256 thumbprint of <paramref name="jwk"/> (EC or OKP), or null when it is not such a key.</summary>
    public static string? Of(string jwk)
    {
        using var document = JsonDocument.Parse(jwk);
        var key = document.RootElement;
        // The required members of each key type, in lexicographic order (RFC 7638 §3.2).
        string[] members = Text(key, "kty") switch
        {
            "EC" => ["crv", "kty", "x", "y"],
            "OKP" => ["crv", "kty", "x"],
            _ => [],
        };
        if (members.Length == 0 || members.Any(m => Text(key, m) is null))
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var member in members)
            {
                writer.WriteString(member, Text(key, member));
            }

            writer.WriteEndObject();
        }

        return System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(buffer.WrittenSpan));
    }

    private static string? Text(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
