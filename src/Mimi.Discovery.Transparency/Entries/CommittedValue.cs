namespace Mimi.Discovery.Transparency;

/// <summary>
/// What an opened format-2 entry says (<see cref="LogCommitment.IssuanceValue"/>, <see cref="LogCommitment.RevocationValue"/>).
/// Issuance-only members are null for a revocation and the other way round.
/// </summary>
public sealed record CommittedValue(
    LogEntryType Type,
    string Sii,
    string Provider,
    string Serial,
    string? Ssi = null,
    string? CertificateSha256 = null,
    string? Attestation = null,
    DateTimeOffset? NotAfter = null,
    string? RevokedBy = null,
    string? Reason = null)
{
    /// <summary>Parses the value bytes of an opening (untrusted): false unless it is exactly one of the two committed shapes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out CommittedValue? parsed)
    {
        parsed = null;
        Dictionary<string, string>? f;
        try
        {
            f = LogEntryContent.ReadFlatObject(value);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }

        if (f is null || !f.TryGetValue("type", out var typeText) || !LogEntryContent.TryParseType(typeText, out var type)
            || !f.TryGetValue("sii", out var sii) || !f.TryGetValue("provider", out var provider) || !f.TryGetValue("serial", out var serial))
        {
            return false;
        }

        if (type == LogEntryType.Issuance)
        {
            if (f.Count != 8 || !f.TryGetValue("ssi", out var ssi) || !f.TryGetValue("certificateSha256", out var hash)
                || !f.TryGetValue("attestation", out var attestation) || !f.TryGetValue("notAfter", out var notAfterText)
                || !LogEntryContent.TryParseTime(notAfterText, out var notAfter))
            {
                return false;
            }

            parsed = new CommittedValue(type, sii, provider, serial, ssi, hash, attestation, notAfter);
            return true;
        }

        if (f.Count != 6 || !f.TryGetValue("revokedBy", out var revokedBy) || !f.TryGetValue("reason", out var reason))
        {
            return false;
        }

        parsed = new CommittedValue(type, sii, provider, serial, RevokedBy: revokedBy, Reason: reason);
        return true;
    }
}
