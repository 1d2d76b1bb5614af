namespace Mimi.Discovery.Server.Hosting;

/// <summary>Standard base64 text from a request or a setting, decoded without exceptions: bad text is the caller's clear 4xx or validation failure.</summary>
internal static class Base64Text
{
    public static bool TryDecode(string? value, out byte[] bytes)
    {
        bytes = new byte[value?.Length ?? 0];
        if (value is not null && Convert.TryFromBase64String(value, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
