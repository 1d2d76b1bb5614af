using System.Buffers.Text;
using System.Security.Cryptography;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// The random tokens of sign-in links and sessions: 32 bytes from the system's CSPRNG, base64url (43 characters). Only
/// their SHA-256 is stored, so finding a row by hash compares no secret in application code.
/// </summary>
internal static class ConsoleTokens
{
    public const int Bytes = 32;

    /// <summary>The length of a token's text.</summary>
    public const int Length = 43;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The stored form of <paramref name="token"/>; false when it is not a token's text (never stored, so never found).</summary>
    public static bool TryHash(string? token, out byte[] hash)
    {
        Span<byte> raw = stackalloc byte[Bytes];
        if (token is not { Length: Length } || !Base64Url.IsValid(token, out var decoded) || decoded != Bytes || Base64Url.DecodeFromChars(token, raw) != Bytes)
        {
            hash = [];
            return false;
        }

        hash = SHA256.HashData(raw);
        return true;
    }

    /// <summary>What the audit trail names a session by: the start of its hash, which opens nothing.</summary>
    public static string Prefix(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, 6));
}
