using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests;

public class TileAppenderTests
{
    [Fact]
    public async Task A_tree_of_70000_leaves_has_the_c2sp_example_tiles()
    {
        var log = new TiledLog();
        var results = await log.GrowAsync(new Random(70), 70_000, 3000);
        var latest = new Dictionary<(int, long), TileCoordinate>();
        foreach (var (_, result) in results)
        {
            foreach (var write in result.Tiles)
            {
                latest[(write.Coordinate.Level, write.Coordinate.Index)] = write.Coordinate;
            }
        }

        Assert.Equal(273, latest.Values.Count(t => t.Level == 0 && !t.IsPartial));
        Assert.Equal(112, latest[(0, 273)].Width);
        Assert.Equal(256, latest[(1, 0)].Width);
        Assert.Equal(17, latest[(1, 1)].Width);
        Assert.Equal(1, latest[(2, 0)].Width);
        Assert.Equal(277, latest.Count);
        Assert.Equal(277, log.Store.Count);
    }

    [Fact]
    public async Task Level_above_holds_the_roots_of_full_tiles_below()
    {
        var log = new TiledLog();
        await log.GrowAsync(new Random(5), 1000, 1000);
        var level1 = await log.Store.ReadTileAsync(new TileCoordinate(1, 0, 3), default);
        for (var i = 0; i < 3; i++)
        {
            var expected = ReferenceMerkle.Mth(log.Leaves, i * 256, (i + 1) * 256);
            Assert.Equal(expected, level1.Slice(i * 32, 32).ToArray());
        }

        var level0 = await log.Store.ReadTileAsync(new TileCoordinate(0, 3, 232), default);
        Assert.Equal(log.Leaves[768], level0[..32].ToArray());
        Assert.Equal(log.Leaves[999], level0.Slice(231 * 32, 32).ToArray());
    }

    [Fact]
    public async Task Any_batching_gives_the_same_tiles_and_root()
    {
        var leaves = new List<byte[]>();
        var random = new Random(11);
        for (var i = 0; i < 2345; i++)
        {
            leaves.Add(MerkleHash.LeafHash(BitConverter.GetBytes(i)));
        }

        var oneBatch = new TiledLog();
        var whole = await oneBatch.AppendAsync(leaves);
        Assert.Equal(2345, whole.TreeSize);
        Assert.Equal(MerkleHash.ComputeRoot(leaves), whole.Root);

        for (var round = 0; round < 5; round++)
        {
            var log = new TiledLog();
            TileAppendResult? last = null;
            for (var start = 0; start < leaves.Count;)
            {
                var count = Math.Min(leaves.Count - start, random.Next(1, 600));
                last = await log.AppendAsync(leaves.GetRange(start, count));
                Assert.Equal(MerkleHash.ComputeRoot(leaves[..(start + count)]), last.Root);
                start += count;
            }

            Assert.Equal(whole.Root, last!.Root);
            foreach (var write in whole.Tiles)
            {
                var data = await log.Store.ReadTileAsync(write.Coordinate, default);
                Assert.Equal(write.Hashes, data.ToArray());
            }
        }
    }

    [Fact]
    public async Task Appending_writes_only_the_right_edge()
    {
        var log = new TiledLog();
        await log.GrowAsync(new Random(8), 65_536 + 300, 4000);
        var append = await log.AppendAsync([.. Enumerable.Range(0, 10).Select(i => MerkleHash.LeafHash([(byte)i]))]);

        // 65,846 leaves: level 0 grows its partial tile 257 from width 44 to 54; levels 1 and 2 do not change.
        var write = Assert.Single(append.Tiles);
        Assert.Equal(new TileCoordinate(0, 257, 54), write.Coordinate);
        Assert.Equal(54 * 32, write.Hashes.Length);
        Assert.Equal(MerkleHash.ComputeRoot(log.Leaves), append.Root);
    }

    [Fact]
    public async Task An_empty_batch_changes_nothing_and_gives_the_current_root()
    {
        var log = new TiledLog();
        var empty = await log.AppendAsync([]);
        Assert.Empty(empty.Tiles);
        Assert.Equal(Rfc6962Vectors.EmptyRoot, empty.Root);

        await log.GrowAsync(new Random(2), 777, 100);
        var again = await log.AppendAsync([]);
        Assert.Empty(again.Tiles);
        Assert.Equal(777, again.TreeSize);
        Assert.Equal(MerkleHash.ComputeRoot(log.Leaves), again.Root);
    }

    [Fact]
    public async Task Leaf_hashes_must_be_32_bytes()
    {
        var store = new MemoryTileStore();
        await Assert.ThrowsAsync<ArgumentException>(async () => await TileAppender.AppendAsync(0, [new byte[31]], store));
        await Assert.ThrowsAsync<ArgumentException>(async () => await TileAppender.AppendAsync(0, [null!], store));
    }

    [Fact]
    public async Task Memory_store_refuses_a_tile_version_that_contradicts_the_stored_one()
    {
        var log = new TiledLog();
        await log.GrowAsync(new Random(4), 10, 10);
        var forged = (await log.Store.ReadTileAsync(new TileCoordinate(0, 0, 10), default)).ToArray();
        forged[0] ^= 1;
        Assert.Throws<InvalidOperationException>(() => log.Store.Write(new TileCoordinate(0, 0, 10), forged));
        Assert.Throws<ArgumentException>(() => log.Store.Write(new TileCoordinate(0, 0, 11), forged));

        // A narrower version that agrees is a no-op: the wider one stays.
        var honest = (await log.Store.ReadTileAsync(new TileCoordinate(0, 0, 4), default)).ToArray();
        log.Store.Write(new TileCoordinate(0, 0, 4), honest.AsSpan(0, 4 * 32));
        Assert.Equal(10 * 32, (await log.Store.ReadTileAsync(new TileCoordinate(0, 0, 10), default)).Length);
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await log.Store.ReadTileAsync(new TileCoordinate(0, 0, 11), default));
    }
}
