using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>Reading the parts of a compact JWS that this service verifies (client assertions, peer request tokens).</summary>
internal static class CompactJws
{
    public static bool TryTime(JsonElement payload, string name, out DateTimeOffset value)
    {
        value = default;
        if (!payload.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var seconds)
            || seconds is < 0 or > 253402300799)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    public static bool TryDecode(string part, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    /// <summary>
    /// Decodes a base64url part holding a JSON object. Anything else is false, including text that is not valid Unicode
    /// (a lone surrogate escape, invalid UTF-8): after this, reading the object's names and strings cannot throw.
    /// </summary>
    public static bool TryDecodeJson(string part, [NotNullWhen(true)] out JsonDocument? document)
    {
        document = null;
        if (!TryDecode(part, out var bytes) || !UntrustedJson.TryParse(bytes, out document))
        {
            return false;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        document.Dispose();
        document = null;
        return false;
    }
}
