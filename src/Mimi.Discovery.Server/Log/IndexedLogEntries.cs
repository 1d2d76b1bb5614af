using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Model;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// The entries the log writes (format 2, docs/accountability.md §2): type, time, the VRF key and the identifier index,
/// and a commitment to every other field under a fresh opening, which the authority keeps (<see cref="EntryOpening"/>)
/// and gives only to the identifier's holders. Nothing in the bytes names the identifier, the user or the provider.
/// </summary>
internal static class IndexedLogEntries
{
    /// <summary>The VRF input of an identifier: the UTF-8 bytes of the normalized SII.</summary>
    public static byte[] Alpha(string sii) => Encoding.UTF8.GetBytes(sii);

    /// <summary>The committed name of an attestation.</summary>
    public static string AttestationName(Attestation attestation) => attestation == Attestation.Provider ? "provider" : "one-time-code";

    /// <summary>The committed value of a credential's issuance, from the fields it was issued with (or its stored row).</summary>
    public static byte[] IssuanceValue(string sii, string ssi, string provider, string serial, byte[] certificate, Attestation attestation, DateTimeOffset notAfter) =>
        LogCommitment.IssuanceValue(sii, ssi, provider, serial, SHA256.HashData(certificate), AttestationName(attestation), notAfter);

    /// <summary>The committed value of a stored credential's issuance.</summary>
    public static byte[] IssuanceValue(CredentialRecord c) => IssuanceValue(c.Sii, c.Ssi, c.Provider, c.Serial, c.Certificate, c.Attestation, c.NotAfter);

    /// <summary>An issuance entry and its opening.</summary>
    public static (byte[] Entry, EntryOpening Opening) Issuance(DateTimeOffset time, string vrfKeyId, byte[] identifierIndex, string sii, byte[] value) =>
        Write(LogEntryType.Issuance, time, vrfKeyId, identifierIndex, sii, value);

    /// <summary>A revocation entry under the credential's identifier index, and its opening.</summary>
    public static (byte[] Entry, EntryOpening Opening) Revocation(DateTimeOffset time, string vrfKeyId, byte[] identifierIndex, string sii, string provider,
        string serial, string revokedBy, string reason) =>
        Write(LogEntryType.Revocation, time, vrfKeyId, identifierIndex, sii, LogCommitment.RevocationValue(sii, provider, serial, revokedBy, reason));

    private static (byte[] Entry, EntryOpening Opening) Write(LogEntryType type, DateTimeOffset time, string vrfKeyId, byte[] identifierIndex, string sii, byte[] value)
    {
        var opening = LogCommitment.NewOpening();
        var entry = LogEntryContent.Write(type, time, vrfKeyId, identifierIndex, LogCommitment.Commit(opening, value));
        return (entry, new EntryOpening(sii, opening, value));
    }
}
