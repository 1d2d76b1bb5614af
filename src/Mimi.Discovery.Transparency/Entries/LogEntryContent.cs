using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// The parsed bytes of one issuance-log entry, in either format (docs/accountability.md §2). Format 2 shows only the
/// type, the time, the identifier index (an ECVRF output over the identifier) and a commitment to the fields; format 1,
/// written before the index existed, shows the provider, serial and certificate hash in the clear and has no index.
/// </summary>
public sealed class LogEntryContent
{
    /// <summary>The format every new entry is written in.</summary>
    public const int IndexedFormat = 2;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private LogEntryContent(int format, LogEntryType type, DateTimeOffset? time)
    {
        Format = format;
        Type = type;
        Time = time;
    }

    /// <summary>1 (clear fields, no index) or 2 (index and commitment).</summary>
    public int Format { get; }

    /// <summary>Issuance or revocation.</summary>
    public LogEntryType Type { get; }

    /// <summary>When the entry was written; null when a format-1 entry's time does not parse.</summary>
    public DateTimeOffset? Time { get; }

    /// <summary>Format 2: the key id of the VRF key the index was computed under.</summary>
    public string? VrfKeyId { get; private init; }

    /// <summary>Format 2: the identifier index, the 32-byte VRF output over the normalized identifier.</summary>
    public byte[]? IdentifierIndex { get; private init; }

    /// <summary>Format 2: the 32-byte commitment to the entry's fields (<see cref="LogCommitment"/>).</summary>
    public byte[]? Commitment { get; private init; }

    /// <summary>Format 1: the provider named in clear.</summary>
    public string? Provider { get; private init; }

    /// <summary>Format 1: the credential serial in clear.</summary>
    public string? Serial { get; private init; }

    /// <summary>Format 1 issuance: lower-case hex SHA-256 of the certificate.</summary>
    public string? CertificateSha256 { get; private init; }

    /// <summary>Format 1 issuance: the credential's expiry.</summary>
    public DateTimeOffset? NotAfter { get; private init; }

    /// <summary>Format 1 revocation: the reason.</summary>
    public string? Reason { get; private init; }

    /// <summary>The bytes of a format-2 entry, as the log writes them.</summary>
    /// <param name="type">Issuance or revocation.</param>
    /// <param name="time">When; written in whole seconds, UTC.</param>
    /// <param name="vrfKeyId">Key id of the VRF key the index was computed under.</param>
    /// <param name="identifierIndex">The 32-byte VRF output over the identifier.</param>
    /// <param name="commitment">The 32-byte commitment to the entry's fields.</param>
    public static byte[] Write(LogEntryType type, DateTimeOffset time, string vrfKeyId, ReadOnlySpan<byte> identifierIndex, ReadOnlySpan<byte> commitment)
    {
        ArgumentException.ThrowIfNullOrEmpty(vrfKeyId);
        if (identifierIndex.Length != EcVrf.OutputLength || commitment.Length != LogCommitment.Length)
        {
            throw new ArgumentException("The identifier index and the commitment are 32 bytes each.");
        }

        var buffer = new ArrayBufferWriter<byte>(192);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", IndexedFormat);
            w.WriteString("type", TypeName(type));
            w.WriteString("time", FormatTime(time));
            w.WriteString("vrfKey", vrfKeyId);
            w.WriteBase64String("identifierIndex", identifierIndex);
            w.WriteBase64String("commitment", commitment);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses entry bytes served by a log (untrusted): false for anything that is not a well-formed entry of a known format.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out LogEntryContent? entry)
    {
        entry = null;
        try
        {
            var fields = ReadFlatObject(data);
            if (fields is null)
            {
                return false;
            }

            entry = fields.ContainsKey("v") ? ParseIndexed(fields) : ParseLegacy(fields);
            return entry is not null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            // Invalid UTF-8 or JSON, or a token of the wrong kind: not an entry.
            return false;
        }
    }

    /// <summary>The canonical text of a type in entries and committed values.</summary>
    public static string TypeName(LogEntryType type) => type == LogEntryType.Issuance ? "issuance" : "revocation";

    /// <summary>Times as entries and committed values write them: whole seconds, UTC.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    internal static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    internal static bool TryParseType(string? text, out LogEntryType type)
    {
        type = text == "revocation" ? LogEntryType.Revocation : LogEntryType.Issuance;
        return text is "issuance" or "revocation";
    }

    /// <summary>
    /// The members of a JSON object whose values are strings or numbers (as their text), or null when the data is
    /// anything else or repeats a member: a repeated member would let two readers see two different entries.
    /// </summary>
    internal static Dictionary<string, string>? ReadFlatObject(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 2 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return reader.Read() ? null : fields;
            }

            var name = reader.GetString()!;
            reader.Read();
            string? value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                _ => null,
            };
            if (value is null || !fields.TryAdd(name, value))
            {
                return null;
            }
        }

        return null;
    }

    private static LogEntryContent? ParseIndexed(Dictionary<string, string> f)
    {
        if (f.Count != 6 || f["v"] != "2" || !f.TryGetValue("type", out var typeText) || !TryParseType(typeText, out var type)
            || !f.TryGetValue("time", out var timeText) || !TryParseTime(timeText, out var time)
            || !f.TryGetValue("vrfKey", out var kid) || kid.Length is 0 or > 64
            || !TryBase64(f, "identifierIndex", EcVrf.OutputLength, out var index) || !TryBase64(f, "commitment", LogCommitment.Length, out var commitment))
        {
            return null;
        }

        return new LogEntryContent(IndexedFormat, type, time) { VrfKeyId = kid, IdentifierIndex = index, Commitment = commitment };
    }

    private static LogEntryContent? ParseLegacy(Dictionary<string, string> f)
    {
        if (!f.TryGetValue("type", out var typeText) || !TryParseType(typeText, out var type) || !f.TryGetValue("serial", out var serial))
        {
            return null;
        }

        return new LogEntryContent(1, type, f.TryGetValue("time", out var t) && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : null)
        {
            Provider = f.GetValueOrDefault("provider"),
            Serial = serial,
            CertificateSha256 = f.GetValueOrDefault("certificateSha256"),
            NotAfter = f.TryGetValue("notAfter", out var n) && DateTimeOffset.TryParse(n, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var notAfter) ? notAfter : null,
            Reason = f.GetValueOrDefault("reason"),
        };
    }

    private static bool TryBase64(Dictionary<string, string> f, string name, int length, out byte[] bytes)
    {
        bytes = new byte[length];
        return f.TryGetValue(name, out var text) && Convert.TryFromBase64String(text, bytes, out var written) && written == length;
    }
}
