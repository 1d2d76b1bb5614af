using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests;

public class TileRebuilderTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(256, 100)]
    [InlineData(70_000, 4096)]
    [InlineData(65_537, 256)]
    public async Task Rebuilding_from_leaf_hashes_in_pages_gives_every_stored_tile_above_level_0_once_and_the_root(int size, int page)
    {
        var log = new TiledLog();
        await log.GrowAsync(new Random(size), size, 3000);
        var rebuilder = new TileRebuilder();
        var full = new List<TileWrite>();

        for (var start = 0; start < size; start += page)
        {
            full.AddRange(await rebuilder.AppendAsync(log.Leaves.GetRange(start, Math.Min(page, size - start))));
        }

        Assert.Equal(size, rebuilder.TreeSize);
        Assert.Equal(MerkleHash.ComputeRoot(log.Leaves), rebuilder.Root);
        var derived = full.Concat(rebuilder.PartialTiles()).ToList();
        Assert.All(derived, t => Assert.True(t.Coordinate.Level > 0));
        Assert.Equal(derived.Count, derived.Select(t => (t.Coordinate.Level, t.Coordinate.Index)).Distinct().Count());
        Assert.All(full, t => Assert.False(t.Coordinate.IsPartial));
        // Exactly the stored tiles above level 0, at the width the tree of this size has them.
        var levels = Enumerable.Range(1, TileCoordinate.MaxLevel).Where(l => ((long)size >> (TileCoordinate.Height * l)) > 0).ToList();
        var expected = levels.Sum(l => (int)Math.Ceiling(((long)size >> (TileCoordinate.Height * l)) / (double)TileCoordinate.FullWidth));
        Assert.Equal(expected, derived.Count);
        foreach (var tile in derived)
        {
            var stored = await log.Store.ReadTileAsync(tile.Coordinate, default);
            Assert.Equal(stored[..tile.Coordinate.ByteLength].ToArray(), tile.Hashes);
        }
    }

    [Fact]
    public async Task An_altered_leaf_hash_changes_the_rebuilt_tile_above_it()
    {
        var log = new TiledLog();
        await log.GrowAsync(new Random(3), 600, 600);
        var leaves = log.Leaves.ToList();
        leaves[300] = MerkleHash.LeafHash("forged"u8);
        var rebuilder = new TileRebuilder();

        var full = await rebuilder.AppendAsync(leaves);

        Assert.Empty(full); // 600 leaves make level 1 two hashes wide: partial
        var level1 = Assert.Single(rebuilder.PartialTiles());
        var stored = await log.Store.ReadTileAsync(level1.Coordinate, default);
        Assert.Equal(stored[..32].ToArray(), level1.Hashes[..32]);
        Assert.NotEqual(stored[32..64].ToArray(), level1.Hashes[32..64]);
        Assert.NotEqual(MerkleHash.ComputeRoot(log.Leaves), rebuilder.Root);
    }
}
