namespace Mimi.Discovery.Storage;

/// <summary>
/// A write that enters the issuance log: the entry bytes, and the state change committed with it. A format-2 entry
/// carries its <see cref="Opening"/>, stored in the same transaction; a format-1 entry (written before) has none.
/// </summary>
public abstract record LogWrite(byte[] Entry)
{
    /// <summary>The opening of the entry's commitment, kept by the authority under the entry's log index.</summary>
    public EntryOpening? Opening { get; init; }
}
