namespace Mimi.Discovery.Transparency.Tests;

public class TileCoordinateTests
{
    [Theory]
    [InlineData(0, 0L, 256, "tile/0/000")]
    [InlineData(0, 1234067L, 256, "tile/0/x001/x234/067")]
    [InlineData(0, 1234067L, 8, "tile/0/x001/x234/067.p/8")]
    [InlineData(1, 999L, 255, "tile/1/999.p/255")]
    [InlineData(2, 1000L, 1, "tile/2/x001/000.p/1")]
    [InlineData(3, 5L, 256, "tile/3/005")]
    public void Path_follows_the_c2sp_layout_and_parses_back(int level, long index, int width, string path)
    {
        var tile = new TileCoordinate(level, index, width);
        Assert.Equal(path, tile.Path);
        Assert.True(TileCoordinate.TryParsePath(path, out var parsed));
        Assert.Equal(tile, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tile/0")]
    [InlineData("tile/0/")]
    [InlineData("tiles/0/000")]
    [InlineData("tile/00/000")]
    [InlineData("tile/8/000")]
    [InlineData("tile/-1/000")]
    [InlineData("tile/0/00")]
    [InlineData("tile/0/0000")]
    [InlineData("tile/0/x000/001")]
    [InlineData("tile/0/001/002")]
    [InlineData("tile/0/x001")]
    [InlineData("tile/0/x1/002")]
    [InlineData("tile/0/abc")]
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/0")]
    [InlineData("tile/0/000.p/08")]
    [InlineData("tile/0/000.p/")]
    [InlineData("tile/0/000.p")]
    [InlineData("tile/8/0/000")]
    [InlineData("tile/entries/0000")]
    [InlineData("tile/entries/000.p/256")]
    [InlineData("tile/entries/x000/001")]
    [InlineData("tile/entries")]
    [InlineData("tile/entrie/000")]
    [InlineData("tile/Entries/000")]
    [InlineData("tile/0/x999/x999/x999/x999/x999/x999/999")]
    [InlineData("tile/7/001")]
    public void Malformed_or_non_canonical_paths_do_not_parse(string? path)
    {
        Assert.False(TileCoordinate.TryParsePath(path, out _));
    }

    [Theory]
    [InlineData(0L, 256, "tile/entries/000")]
    [InlineData(1234067L, 256, "tile/entries/x001/x234/067")]
    [InlineData(273L, 112, "tile/entries/273.p/112")]
    public void Entry_bundle_paths_follow_the_c2sp_layout_and_cover_the_level_0_tile_of_the_same_index(long index, int width, string path)
    {
        var bundle = TileCoordinate.EntryBundle(index, width);
        Assert.Equal(path, bundle.Path);
        Assert.True(TileCoordinate.TryParsePath(path, out var parsed));
        Assert.Equal(bundle, parsed);
        Assert.True(parsed.IsEntryBundle);
        Assert.Equal((0, index, width), (parsed.Level, parsed.Index, parsed.Width));
        Assert.NotEqual(new TileCoordinate(0, index, width), parsed);
        Assert.False(TileCoordinate.TryParsePath(path.Replace("entries", "0", StringComparison.Ordinal), out var hashes) && hashes.IsEntryBundle);
        Assert.Equal(TileCoordinate.EntryBundle(273, 112), TileCoordinate.EntryBundleInTree(273, 70_000));
        Assert.True(TileCoordinate.Exists(TileCoordinate.EntryBundle(273, 112), 70_000));
        Assert.False(TileCoordinate.Exists(TileCoordinate.EntryBundle(273, 113), 70_000));
    }

    [Fact]
    public void Random_coordinates_round_trip_through_their_paths()
    {
        var random = new Random(256);
        for (var i = 0; i < 5000; i++)
        {
            var level = random.Next(0, 7);
            var index = random.NextInt64(0, long.MaxValue >> (8 * (level + 1)));
            var width = random.Next(1, 257);
            var tile = new TileCoordinate(level, index, width);
            Assert.True(TileCoordinate.TryParsePath(tile.Path, out var parsed), tile.Path);
            Assert.Equal(tile, parsed);
            Assert.Equal(width < 256, tile.Path.Contains(".p/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Constructor_refuses_coordinates_no_tree_has()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileCoordinate(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileCoordinate(0, 0, 257));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileCoordinate(-1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileCoordinate(8, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileCoordinate(0, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileCoordinate(7, 1, 1));
    }

    [Fact]
    public void Exists_tells_which_tiles_a_tree_size_has()
    {
        // C2SP's example: a tree of 70,000 leaves has 273 full level-0 tiles and a partial one of width 112,
        // one full level-1 tile and a partial one of width 17, and a level-2 tile of width 1.
        const long size = 70_000;
        Assert.True(TileCoordinate.Exists(new TileCoordinate(0, 272, 256), size));
        Assert.True(TileCoordinate.Exists(new TileCoordinate(0, 273, 112), size));
        Assert.True(TileCoordinate.Exists(new TileCoordinate(0, 273, 100), size));
        Assert.False(TileCoordinate.Exists(new TileCoordinate(0, 273, 113), size));
        Assert.False(TileCoordinate.Exists(new TileCoordinate(0, 274, 1), size));
        Assert.True(TileCoordinate.Exists(new TileCoordinate(1, 0, 256), size));
        Assert.True(TileCoordinate.Exists(new TileCoordinate(1, 1, 17), size));
        Assert.False(TileCoordinate.Exists(new TileCoordinate(1, 1, 18), size));
        Assert.True(TileCoordinate.Exists(new TileCoordinate(2, 0, 1), size));
        Assert.False(TileCoordinate.Exists(new TileCoordinate(2, 0, 2), size));
        Assert.False(TileCoordinate.Exists(new TileCoordinate(3, 0, 1), size));
        Assert.False(TileCoordinate.Exists(default, size));
    }
}
