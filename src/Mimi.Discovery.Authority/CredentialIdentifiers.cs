namespace Mimi.Discovery.Authority;

/// <summary>
/// Structural checks on identifiers entering a credential. Normalization (E.164, lower-cased
/// domains) happens before the authority; here we refuse what cannot be encoded faithfully: SAN
/// URIs are IA5String, TNAuthList numbers are 1 to 15 digits.
/// </summary>
internal static class CredentialIdentifiers
{
    public const string SsiScheme = "mimi://";
    public const string TelScheme = "tel:+";

    public static void ValidateSsi(string ssi)
    {
        if (!ssi.StartsWith(SsiScheme, StringComparison.Ordinal) || ssi.Length == SsiScheme.Length || !IsUriText(ssi))
        {
            throw new ArgumentException($"SSI '{ssi}' must be a mimi:// URI of printable ASCII without spaces.", nameof(CredentialRequest.Ssi));
        }
    }

    /// <summary>Validates the SII and returns the E.164 digits when it is a telephone number, else null.</summary>
    public static string? ValidateSii(string sii)
    {
        if (sii.StartsWith(TelScheme, StringComparison.Ordinal))
        {
            var digits = sii[TelScheme.Length..];
            if (digits.Length is < 1 or > 15 || digits.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                throw new ArgumentException($"SII '{sii}' must be tel:+ followed by 1 to 15 digits (E.164).", nameof(CredentialRequest.Sii));
            }

            return digits;
        }

        var known = sii.StartsWith("mailto:", StringComparison.Ordinal) || sii.StartsWith("im:", StringComparison.Ordinal);
        if (!known || sii.IndexOf(':', StringComparison.Ordinal) == sii.Length - 1 || !IsUriText(sii))
        {
            throw new ArgumentException($"SII '{sii}' must be a tel:, mailto: or im: URI of printable ASCII without spaces.", nameof(CredentialRequest.Sii));
        }

        return null;
    }

    private static bool IsUriText(string value)
    {
        foreach (var c in value)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
