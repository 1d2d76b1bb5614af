namespace Mimi.Discovery.Transparency.Tests.Support;

/// <summary>A log kept in a <see cref="MemoryTileStore"/>, grown through <see cref="TileAppender"/>, with the plain leaf list beside it.</summary>
internal sealed class TiledLog
{
    public MemoryTileStore Store { get; } = new();

    public List<byte[]> Leaves { get; } = [];

    public long Size => Leaves.Count;

    public async Task<TileAppendResult> AppendAsync(IReadOnlyList<byte[]> leafHashes)
    {
        var result = await TileAppender.AppendAsync(Size, leafHashes, Store);
        Store.Write(result);
        Leaves.AddRange(leafHashes);
        return result;
    }

    /// <summary>Random entries appended in random batches, returning each batch's result.</summary>
    public async Task<List<(long OldSize, TileAppendResult Result)>> GrowAsync(Random random, int count, int maxBatch, List<byte[]>? entries = null)
    {
        var results = new List<(long, TileAppendResult)>();
        var remaining = count;
        while (remaining > 0)
        {
            var batch = Math.Min(remaining, random.Next(1, maxBatch + 1));
            var hashes = new List<byte[]>(batch);
            for (var i = 0; i < batch; i++)
            {
                var entry = new byte[random.Next(0, 40)];
                random.NextBytes(entry);
                entries?.Add(entry);
                hashes.Add(MerkleHash.LeafHash(entry));
            }

            var oldSize = Size;
            results.Add((oldSize, await AppendAsync(hashes)));
            remaining -= batch;
        }

        return results;
    }
}
