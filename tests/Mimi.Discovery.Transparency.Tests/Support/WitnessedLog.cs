namespace Mimi.Discovery.Transparency.Tests.Support;

/// <summary>A log for witness tests: leaves in memory (RFC 6962 reference hashing), a note signer, signed checkpoints and proofs.</summary>
internal sealed class WitnessedLog(string origin = "log.example/witnessed")
{
    public string Origin { get; } = origin;

    public NoteSigner Signer { get; } = NoteSigner.Generate(origin);

    public List<byte[]> Leaves { get; } = [];

    public void Grow(int count, string salt = "")
    {
        for (var i = 0; i < count; i++)
        {
            Leaves.Add(ReferenceMerkle.Leaf(System.Text.Encoding.UTF8.GetBytes($"{salt}entry {Leaves.Count}")));
        }
    }

    public Checkpoint Checkpoint(int size) => new(Origin, size, ReferenceMerkle.Mth(Leaves, 0, size));

    public string Note(int size) => SignedNote.Sign(Checkpoint(size).Format(), Signer);

    public List<byte[]> Proof(int oldSize, int newSize) => oldSize == 0 ? [] : ReferenceMerkle.ConsistencyProof(Leaves, oldSize, newSize);

    public AddCheckpointRequest Request(int oldSize, int newSize) => new(oldSize, Proof(oldSize, newSize), Note(newSize));
}
