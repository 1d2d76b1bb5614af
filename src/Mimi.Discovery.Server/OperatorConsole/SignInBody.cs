using System.Text.Json;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// The body the sign-in page posts to <c>POST /console/session</c>: <c>{"token":"…"}</c>, read from untrusted bytes
/// without throwing. Whether the token opens anything is the store's answer, not the parser's.
/// </summary>
internal static class SignInBody
{
    /// <summary>More than a token needs; a longer body is refused before it is parsed.</summary>
    public const int MaxBytes = 1024;

    /// <summary>The token text, or false with what is wrong (in the wire's terms).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out string? token, out string? error)
    {
        token = null;
        if (body.Length > MaxBytes)
        {
            error = $"The body is over {MaxBytes} bytes.";
            return false;
        }

        if (!UntrustedJson.TryParse(body, out var document, out var jsonError))
        {
            error = "The body is not JSON text: " + jsonError;
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("token", out var value) || value.ValueKind != JsonValueKind.String)
            {
                error = "The body must be a JSON object with the sign-in link's token as a string: {\"token\":\"…\"}.";
                return false;
            }

            token = value.GetString();
            error = null;
            return true;
        }
    }
}
