using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests;

public class MerkleTreeTests
{
    public static TheoryData<long, long, string[]> InclusionProofs => Rfc6962Vectors.InclusionProofs;

    public static TheoryData<long, long, string[]> ConsistencyProofs => Rfc6962Vectors.ConsistencyProofs;

    [Fact]
    public async Task Roots_from_tiles_match_the_rfc6962_test_tree()
    {
        var log = new TiledLog();
        Assert.Equal(Rfc6962Vectors.EmptyRoot, await MerkleTree.RootAsync(log.Store, 0));
        foreach (var leaf in Rfc6962Vectors.LeafHashes)
        {
            var append = await log.AppendAsync([leaf]);
            Assert.Equal(Rfc6962Vectors.Roots[log.Size - 1], append.Root);
        }

        for (var size = 1; size <= 8; size++)
        {
            Assert.Equal(Rfc6962Vectors.Roots[size - 1], await MerkleTree.RootAsync(log.Store, size));
        }
    }

    [Theory]
    [MemberData(nameof(InclusionProofs))]
    public async Task Inclusion_proofs_from_tiles_equal_the_published_ones(long index, long size, string[] hex)
    {
        var log = new TiledLog();
        await log.AppendAsync(Rfc6962Vectors.LeafHashes);
        var proof = await MerkleTree.InclusionProofAsync(log.Store, index, size);
        Assert.Equal(Rfc6962Vectors.Hashes(hex), proof);
    }

    [Theory]
    [MemberData(nameof(ConsistencyProofs))]
    public async Task Consistency_proofs_from_tiles_equal_the_published_ones(long oldSize, long newSize, string[] hex)
    {
        var log = new TiledLog();
        await log.AppendAsync(Rfc6962Vectors.LeafHashes);
        var proof = await MerkleTree.ConsistencyProofAsync(log.Store, oldSize, newSize);
        Assert.Equal(Rfc6962Vectors.Hashes(hex), proof);
    }

    [Fact]
    public async Task Proof_requests_outside_the_tree_are_refused()
    {
        var log = new TiledLog();
        await log.AppendAsync(Rfc6962Vectors.LeafHashes);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.InclusionProofAsync(log.Store, 8, 8));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.InclusionProofAsync(log.Store, -1, 8));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.ConsistencyProofAsync(log.Store, 5, 4));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.RootAsync(log.Store, -1));

        // Asking for a tree the store does not have fails loudly rather than hashing garbage.
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await MerkleTree.RootAsync(log.Store, 9));
        Assert.Empty(await MerkleTree.ConsistencyProofAsync(log.Store, 0, 8));
        Assert.Empty(await MerkleTree.ConsistencyProofAsync(log.Store, 8, 8));
    }

    [Fact]
    public async Task Inclusion_proof_verifies_for_every_leaf_of_random_trees_and_matches_the_rfc_recursion()
    {
        var random = new Random(9162);
        for (var round = 0; round < 8; round++)
        {
            var log = new TiledLog();
            await log.GrowAsync(random, random.Next(1, 1500), 400);
            var size = (int)log.Size;
            var root = await MerkleTree.RootAsync(log.Store, size);
            Assert.Equal(MerkleHash.ComputeRoot(log.Leaves), root);

            for (var index = 0; index < size; index++)
            {
                var proof = await MerkleTree.InclusionProofAsync(log.Store, index, size);
                Assert.True(MerkleProof.VerifyInclusion(log.Leaves[index], index, size, proof, root), $"leaf {index} of {size}");
            }

            // Smaller trees read the same (now wider) tiles and use their prefixes.
            for (var probe = 0; probe < 20; probe++)
            {
                var smaller = random.Next(1, size + 1);
                var index = random.Next(smaller);
                var expected = ReferenceMerkle.InclusionPath(log.Leaves, index, 0, smaller);
                Assert.Equal(expected, await MerkleTree.InclusionProofAsync(log.Store, index, smaller));
                Assert.Equal(ReferenceMerkle.Mth(log.Leaves, 0, smaller), await MerkleTree.RootAsync(log.Store, smaller));
            }
        }
    }

    [Fact]
    public async Task Consistency_proof_verifies_between_random_sizes_and_matches_the_rfc_recursion()
    {
        var random = new Random(6962);
        for (var round = 0; round < 8; round++)
        {
            var log = new TiledLog();
            await log.GrowAsync(random, random.Next(2, 3000), 700);
            var size = (int)log.Size;
            for (var probe = 0; probe < 60; probe++)
            {
                var newSize = random.Next(1, size + 1);
                var oldSize = random.Next(0, newSize + 1);
                var oldRoot = await MerkleTree.RootAsync(log.Store, oldSize);
                var newRoot = await MerkleTree.RootAsync(log.Store, newSize);
                var proof = await MerkleTree.ConsistencyProofAsync(log.Store, oldSize, newSize);
                Assert.True(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof), $"{oldSize} → {newSize}");
                Assert.Equal(ReferenceMerkle.ConsistencyProof(log.Leaves, oldSize, newSize), proof);
            }
        }
    }

    [Fact]
    public async Task Consistency_proof_verifies_for_every_pair_of_sizes_of_a_small_tree()
    {
        var log = new TiledLog();
        await log.GrowAsync(new Random(1), 300, 50);
        var roots = new byte[301][];
        for (var size = 0; size <= 300; size++)
        {
            roots[size] = await MerkleTree.RootAsync(log.Store, size);
        }

        for (var newSize = 1; newSize <= 300; newSize++)
        {
            for (var oldSize = 0; oldSize <= newSize; oldSize++)
            {
                var proof = await MerkleTree.ConsistencyProofAsync(log.Store, oldSize, newSize);
                Assert.True(MerkleProof.VerifyConsistency(oldSize, newSize, roots[oldSize], roots[newSize], proof), $"{oldSize} → {newSize}");
            }
        }
    }

    [Fact]
    public async Task A_flipped_bit_anywhere_makes_proofs_fail()
    {
        var random = new Random(42);
        var log = new TiledLog();
        await log.GrowAsync(random, 2000, 300);
        var size = log.Size;
        var root = await MerkleTree.RootAsync(log.Store, size);
        for (var probe = 0; probe < 200; probe++)
        {
            var index = random.NextInt64(size);
            var proof = (await MerkleTree.InclusionProofAsync(log.Store, index, size)).Select(h => h.ToArray()).ToArray();
            var leaf = log.Leaves[(int)index].ToArray();
            var rootCopy = root.ToArray();
            var target = random.Next(proof.Length + 2);
            var bit = random.Next(MerkleHash.Size * 8);
            var flipped = target == proof.Length ? leaf : target == proof.Length + 1 ? rootCopy : proof[target];
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, proof, rootCopy));

            var oldSize = random.NextInt64(1, size);
            var oldRoot = await MerkleTree.RootAsync(log.Store, oldSize);
            var consistency = (await MerkleTree.ConsistencyProofAsync(log.Store, oldSize, size)).Select(h => h.ToArray()).ToArray();
            var which = random.Next(consistency.Length);
            consistency[which][bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(MerkleProof.VerifyConsistency(oldSize, size, oldRoot, root, consistency), $"{oldSize} → {size}, hash {which}");
        }
    }

    [Fact]
    public async Task Proofs_read_their_tiles_in_one_batch()
    {
        var log = new TiledLog();
        await log.GrowAsync(new Random(3), 70_000, 5000);
        var counting = new CountingReader(log.Store);
        var root = await MerkleTree.RootAsync(counting, log.Size);
        var inclusion = await MerkleTree.InclusionProofAsync(counting, 12_345, log.Size);
        var consistency = await MerkleTree.ConsistencyProofAsync(counting, 33_333, log.Size);
        Assert.Equal(3, counting.Batches);
        Assert.True(MerkleProof.VerifyInclusion(log.Leaves[12_345], 12_345, log.Size, inclusion, root));
        Assert.True(MerkleProof.VerifyConsistency(33_333, log.Size, await MerkleTree.RootAsync(log.Store, 33_333), root, consistency));
    }

    private sealed class CountingReader(ITileReader inner) : ITileReader
    {
        public int Batches { get; private set; }

        public ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileCoordinate tile, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Tiles are read in batches.");

        public async ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ReadTilesAsync(IReadOnlyList<TileCoordinate> tiles, CancellationToken cancellationToken)
        {
            Batches++;
            var results = new List<ReadOnlyMemory<byte>>();
            foreach (var tile in tiles)
            {
                results.Add(await inner.ReadTileAsync(tile, cancellationToken));
            }

            return results;
        }
    }
}
