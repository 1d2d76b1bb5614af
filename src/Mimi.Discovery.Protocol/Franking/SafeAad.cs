using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The Safe AAD framing of draft-ietf-mls-extensions (§4.9): an application PrivateMessage's
/// <c>authenticated_data</c> starts with <c>SafeAADItem aad_items&lt;V&gt;</c>, each item a <c>ComponentID</c> (uint16,
/// as in <see cref="AppDataDictionary"/>) and <c>opaque aad_item_data&lt;V&gt;</c>, sorted by component id; anything
/// after the vector is non-safe data. MIMI puts its <c>frank_aad</c> (component <see cref="FrankAadComponent"/>) there.
/// </summary>
public static class SafeAad
{
    /// <summary>The <c>frank_aad</c> component (draft-ietf-mimi-protocol-06 §9): a 32-byte <c>franking_tag</c>.</summary>
    public const ushort FrankAadComponent = 0x0020;

    /// <summary>The <c>franking_agent</c> GroupContext component (draft-ietf-mimi-protocol-06 §9): a <see cref="FrankingAgentData"/>.</summary>
    public const ushort FrankingAgentComponent = 0x0021;

    /// <summary>
    /// Finds the data of <paramref name="component"/> in the SafeAAD that starts <paramref name="authenticatedData"/>.
    /// False when the data is not SafeAAD-framed (no vector, items out of order or repeated) or has no such item;
    /// never throws.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> authenticatedData, ushort component, out ByteString data)
    {
        data = default;
        var r = new TlsReader(authenticatedData);
        if (!r.TryReadVector<(ushort Id, ByteString Data)>("aad_items", TlsLengthPrefix.Varint, TryReadItem, out var items))
        {
            return false;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0 && items[i].Id <= items[i - 1].Id)
            {
                return false;
            }
        }

        foreach (var (id, value) in items)
        {
            if (id == component)
            {
                data = value;
                return true;
            }
        }

        return false;
    }

    /// <summary>The <c>franking_tag</c> of a <c>frank_aad</c> item in <paramref name="authenticatedData"/>; false when absent or not 32 bytes.</summary>
    public static bool TryFindFrankingTag(ReadOnlySpan<byte> authenticatedData, out ByteString frankingTag) =>
        TryFind(authenticatedData, FrankAadComponent, out frankingTag) && frankingTag.Length == Franking.TagLength;

    /// <summary>Encodes a SafeAAD with the given items (sorted here by component id), as a client puts it first in <c>authenticated_data</c>.</summary>
    /// <exception cref="ArgumentException">Two items have the same component id.</exception>
    public static byte[] Encode(params (ushort Component, byte[] Data)[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var sorted = items.OrderBy(i => i.Component).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Component == sorted[i - 1].Component)
            {
                throw new ArgumentException($"Component {sorted[i].Component} appears twice.", nameof(items));
            }
        }

        using var w = new TlsWriter();
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var (component, data) in sorted)
        {
            w.WriteUInt16(component);
            w.WriteOpaque(data, TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
        return w.ToArray();
    }

    private static bool TryReadItem(ref TlsReader r, [MaybeNullWhen(false)] out (ushort Id, ByteString Data) value)
    {
        value = default;
        if (!r.TryReadUInt16("component_id", out var id) || !r.TryReadOpaque("aad_item_data", TlsLengthPrefix.Varint, out ByteString data))
        {
            return false;
        }

        value = (id, data);
        return true;
    }
}
