using System.Buffers;
using System.Text.Json;
using Mimi.Discovery.Model;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// The bytes of log entries (UTF-8 JSON, fixed member order). An issuance entry carries the certificate's SHA-256,
/// not the identifier: the log is public, and a public list of phone numbers is exactly what discovery must not
/// become. Whoever holds a credential recomputes the hash and checks inclusion.
/// </summary>
internal static class LogEntries
{
    public static byte[] Issuance(DateTimeOffset time, string provider, string serial, byte[] certificateSha256, Attestation attestation, DateTimeOffset notAfter) =>
        Write(w =>
        {
            w.WriteString("type", "issuance");
            w.WriteString("time", time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("provider", provider);
            w.WriteString("serial", serial);
            w.WriteString("certificateSha256", Convert.ToHexStringLower(certificateSha256));
            w.WriteString("attestation", attestation == Attestation.Provider ? "provider" : "one-time-code");
            w.WriteString("notAfter", notAfter.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        });

    public static byte[] Revocation(DateTimeOffset time, string provider, string serial, string revokedBy, string reason) =>
        Write(w =>
        {
            w.WriteString("type", "revocation");
            w.WriteString("time", time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("provider", provider);
            w.WriteString("serial", serial);
            w.WriteString("revokedBy", revokedBy);
            w.WriteString("reason", reason);
        });

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
