using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// The keys a server answers with: the current key, used for new evaluations, and optionally the previous one,
/// still accepted by id during a rotation's overlap. Immutable; <see cref="Rotate"/> returns a new ring.
/// </summary>
public sealed class OprfKeyRing
{
    /// <summary>A ring with a current key and, during an overlap, the key it replaced.</summary>
    /// <exception cref="ArgumentException">Both keys have the same id.</exception>
    public OprfKeyRing(OprfKeyPair current, OprfKeyPair? previous = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is not null && previous.KeyId == current.KeyId)
        {
            throw new ArgumentException("The previous key must differ from the current one.", nameof(previous));
        }

        Current = current;
        Previous = previous;
    }

    /// <summary>The key new evaluations use.</summary>
    public OprfKeyPair Current { get; }

    /// <summary>The key the current one replaced, if it is still accepted.</summary>
    public OprfKeyPair? Previous { get; }

    /// <summary>Finds the current or previous key by its <see cref="OprfKeyPair.KeyId"/>.</summary>
    public bool TryGet(string keyId, [NotNullWhen(true)] out OprfKeyPair? key)
    {
        if (string.Equals(Current.KeyId, keyId, StringComparison.Ordinal))
        {
            key = Current;
            return true;
        }

        if (Previous is not null && string.Equals(Previous.KeyId, keyId, StringComparison.Ordinal))
        {
            key = Previous;
            return true;
        }

        key = null;
        return false;
    }

    /// <summary>A ring where <paramref name="next"/> is current and today's current key becomes the previous one.</summary>
    public OprfKeyRing Rotate(OprfKeyPair next) => new(next, Current);

    /// <summary>A ring without the previous key, once the overlap is over.</summary>
    public OprfKeyRing Retire() => new(Current);
}
