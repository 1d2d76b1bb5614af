namespace Mimi.Discovery.Transparency;

/// <summary>Reads C2SP tiles of one log. Tiles are immutable: a wider version of a tile extends the narrower ones.</summary>
public interface ITileReader
{
    /// <summary>
    /// Reads one tile. The result holds at least <see cref="TileCoordinate.Width"/> × 32 bytes; a reader may return a
    /// wider version of the same tile, of which callers use the prefix.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The log does not have the tile at that width.</exception>
    ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileCoordinate tile, CancellationToken cancellationToken);

    /// <summary>
    /// Reads several tiles, results in the order asked. Readers backed by a database override this to fetch them
    /// in one round trip; the default reads them one after the other.
    /// </summary>
    async ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ReadTilesAsync(IReadOnlyList<TileCoordinate> tiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        var results = new ReadOnlyMemory<byte>[tiles.Count];
        for (var i = 0; i < tiles.Count; i++)
        {
            results[i] = await ReadTileAsync(tiles[i], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }
}
