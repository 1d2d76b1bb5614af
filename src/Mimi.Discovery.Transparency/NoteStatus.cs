namespace Mimi.Discovery.Transparency;

/// <summary>What opening a signed note found.</summary>
public enum NoteStatus
{
    /// <summary>At least one known key signed the note and every known key's signature verified.</summary>
    Verified,

    /// <summary>The note is not a well-formed signed note (encoding, layout, signature lines).</summary>
    Malformed,

    /// <summary>The note is larger than <see cref="SignedNote.MaxLength"/> or has more than <see cref="SignedNote.MaxSignatures"/> signatures.</summary>
    TooLarge,

    /// <summary>The note is well formed but none of its signatures is by a known key.</summary>
    UnknownKey,

    /// <summary>A signature by a known key does not verify.</summary>
    BadSignature,
}
