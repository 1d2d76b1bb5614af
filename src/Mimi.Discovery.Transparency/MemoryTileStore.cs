using System.Collections.Concurrent;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// Tiles kept in memory, for tests, the command-line auditor and benchmarks. It keeps the widest version of each
/// tile and refuses a version that contradicts what it holds, since tiles only ever grow.
/// </summary>
public sealed class MemoryTileStore : ITileReader
{
    private readonly ConcurrentDictionary<(int Level, long Index), byte[]> _tiles = new();
    private readonly Lock _writeLock = new();

    /// <summary>The number of distinct tiles held.</summary>
    public int Count => _tiles.Count;

    /// <inheritdoc/>
    public ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileCoordinate tile, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tiles.TryGetValue((tile.Level, tile.Index), out var data) || data.Length < tile.ByteLength)
        {
            throw new KeyNotFoundException($"Tile {tile.Path} is not in the store.");
        }

        return ValueTask.FromResult<ReadOnlyMemory<byte>>(data);
    }

    /// <summary>Stores a copy of a tile version, unless a wider one is already held.</summary>
    /// <exception cref="ArgumentException">The data is not <see cref="TileCoordinate.Width"/> × 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The data contradicts the version already held.</exception>
    public void Write(TileCoordinate tile, ReadOnlySpan<byte> hashes)
    {
        if (hashes.Length != tile.ByteLength)
        {
            throw new ArgumentException($"Tile {tile.Path} holds {tile.ByteLength} bytes, not {hashes.Length}.", nameof(hashes));
        }

        lock (_writeLock)
        {
            if (_tiles.TryGetValue((tile.Level, tile.Index), out var held))
            {
                var common = Math.Min(held.Length, hashes.Length);
                if (!held.AsSpan(0, common).SequenceEqual(hashes[..common]))
                {
                    throw new InvalidOperationException($"Tile {tile.Path} contradicts the version already stored.");
                }

                if (held.Length >= hashes.Length)
                {
                    return;
                }
            }

            _tiles[(tile.Level, tile.Index)] = hashes.ToArray();
        }
    }

    /// <summary>Stores every tile of an append.</summary>
    public void Write(TileAppendResult append)
    {
        ArgumentNullException.ThrowIfNull(append);
        foreach (var tile in append.Tiles)
        {
            Write(tile.Coordinate, tile.Hashes);
        }
    }
}
