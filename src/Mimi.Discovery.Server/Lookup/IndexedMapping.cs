using System.Globalization;
using Mimi.Discovery.Model;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// One active mapping as the lookup index holds it: what visibility needs (owner provider, mode and list, log
/// index, expiry) and what an answer carries. The assertion is kept as its signature only and rebuilt for a visible
/// hit; the rare row whose stored token cannot be rebuilt byte for byte keeps the whole token instead. A bulk-imported
/// row has no stored token: its assertion is signed on the first hit and its signature kept (the one write to a
/// mapping, under its lock), and so is the VRF proof of its identifier index. Otherwise immutable: a change replaces it.
/// </summary>
internal sealed class IndexedMapping
{
    public required string Provider { get; init; }

    public required string Ssi { get; init; }

    public required string[] Tags { get; init; }

    public required string[] AllowedProviders { get; init; }

    public Discoverability Discoverability { get; init; }

    private ushort _headerId;

    /// <summary>Index of the encoded protected header in the index's header table.</summary>
    public ushort HeaderId { get => Volatile.Read(ref _headerId); init => _headerId = value; }

    public long LogIndex { get; init; }

    public long CreatedAtMs { get; init; }

    public long NotAfterMs { get; init; }

    /// <summary>The serial when it is the canonical 32 lower-case hex digits (every serial this authority issues).</summary>
    public UInt128 SerialBits { get; init; }

    public Es256Signature Signature;

    /// <summary>How control was proven (a claim of an indexed credential's assertion).</summary>
    public Attestation Attestation { get; init; }

    /// <summary>The VRF key id of an indexed (format-2) credential, null for one logged before.</summary>
    public string? VrfKeyId { get; init; }

    /// <summary>An indexed credential's proof ‖ opening; the proof of a bulk import is filled where first served (<see cref="HasProof"/>).</summary>
    public TransparencyParts Transparency;

    private bool _hasProof;

    /// <summary>True once <see cref="Transparency"/> holds the proof.</summary>
    public bool HasProof { get => Volatile.Read(ref _hasProof); init => _hasProof = value; }

    /// <summary>Only for rows outside the compact form: a non-canonical serial, or a token that cannot be rebuilt.</summary>
    public UncommonParts? Uncommon { get; init; }

    public string Serial => Uncommon?.Serial ?? SerialBits.ToString("x32", CultureInfo.InvariantCulture);

    public DateTimeOffset NotAfter => DateTimeOffset.FromUnixTimeMilliseconds(NotAfterMs);

    /// <summary>Keeps the proof computed where a bulk-imported mapping is first served (under its lock, before it is signed).</summary>
    public void Proved(ReadOnlySpan<byte> proof)
    {
        proof.CopyTo(Transparency[..TransparencyParts.ProofLength]);
        Volatile.Write(ref _hasProof, true);
    }

    /// <summary>Keeps the signature of an assertion signed on first use; the header id is published after it.</summary>
    public void Signed(ushort headerId, ReadOnlySpan<byte> signature)
    {
        signature.CopyTo(Signature);
        Volatile.Write(ref _headerId, headerId);
    }
}
