using System.Text;
using System.Text.Json.Nodes;
using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests.Witnessing;

/// <summary>A checkpoint carrying witness cosignatures is still a note Go's golang.org/x/mod/sumdb/note opens with the log's key.</summary>
public sealed class GoCosignedNoteTests(GoTlogPeer go) : IClassFixture<GoTlogPeer>
{
    [Fact]
    public void Go_verifies_the_log_signature_of_a_checkpoint_that_carries_cosignature_lines()
    {
        var log = NoteSigner.Generate("log.example/mimi");
        var checkpoint = new Checkpoint("log.example/mimi", 1234, MerkleHash.LeafHash("root"u8));
        var note = SignedNote.Sign(checkpoint.Format(), log)
            + Cosigner.Generate("witness.example/w1").Sign(checkpoint, 1_700_000_000).Format()
            + Cosigner.Generate("witness.example/w2").Sign(checkpoint, 1_700_000_001).Format();

        var opened = go.Call(new JsonObject
        {
            ["op"] = "open",
            ["note"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(note)),
            ["verifierKey"] = log.VerifierKey,
        });
        var (tampered, _) = go.CallAllowingError(new JsonObject
        {
            ["op"] = "open",
            ["note"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(note.Replace("1234", "1235", StringComparison.Ordinal))),
            ["verifierKey"] = log.VerifierKey,
        });

        Assert.Equal(checkpoint.Format(), opened["text"]!.GetValue<string>());
        Assert.False(tampered);
    }
}
