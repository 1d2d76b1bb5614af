using System.Text;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log.Witnessing;

/// <summary>A log made in the test with the library (tiles in memory, a note signer): what a witness is shown, honest or not.</summary>
internal sealed class WitnessTestLog(string origin, NoteSigner? signer = null)
{
    private readonly MemoryTileStore _tiles = new();

    public string Origin { get; } = origin;

    public NoteSigner Signer { get; } = signer ?? NoteSigner.Generate(origin);

    public long Size { get; private set; }

    public async Task GrowAsync(int count, string salt = "")
    {
        var leaves = Enumerable.Range(0, count).Select(i => MerkleHash.LeafHash(Encoding.UTF8.GetBytes($"{salt}entry {Size + i}"))).ToList();
        _tiles.Write(await TileAppender.AppendAsync(Size, leaves, _tiles));
        Size += count;
    }

    public async Task<Checkpoint> CheckpointAsync(long size) => new(Origin, size, await MerkleTree.RootAsync(_tiles, size));

    public async Task<string> NoteAsync(long size) => SignedNote.Sign((await CheckpointAsync(size)).Format(), Signer);

    public async Task<IReadOnlyList<byte[]>> ProofAsync(long oldSize, long newSize) =>
        oldSize == 0 ? [] : await MerkleTree.ConsistencyProofAsync(_tiles, oldSize, newSize);

    /// <summary>The add-checkpoint body from <paramref name="oldSize"/> to <paramref name="newSize"/>.</summary>
    public async Task<string> RequestAsync(long oldSize, long newSize) =>
        new AddCheckpointRequest(oldSize, await ProofAsync(oldSize, newSize), await NoteAsync(newSize)).Format();
}
