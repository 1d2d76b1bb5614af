namespace Mimi.Discovery.Transparency.Tests;

public class CheckpointTests
{
    // The example of C2SP tlog-checkpoint.
    private const string Example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    [Fact]
    public void The_c2sp_example_parses_and_formats_back()
    {
        Assert.True(Checkpoint.TryParse(Example, out var checkpoint));
        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal(Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), checkpoint.RootHash);
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(Example, checkpoint.Format());
    }

    [Fact]
    public void Extension_lines_round_trip()
    {
        var checkpoint = new Checkpoint("log.example/mimi", 0, MerkleHash.EmptyRoot.ToArray(), ["timestamp 1700000000", "x"]);
        var text = checkpoint.Format();
        Assert.Equal("log.example/mimi\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ntimestamp 1700000000\nx\n", text);
        Assert.True(Checkpoint.TryParse(text, out var parsed));
        Assert.Equal(checkpoint, parsed);
    }

    [Fact]
    public void A_signed_checkpoint_opens_and_parses_to_the_same_checkpoint()
    {
        var signer = NoteSigner.Generate("log.example/mimi");
        var checkpoint = new Checkpoint("log.example/mimi", 1234, MerkleHash.LeafHash("x"u8));
        var note = SignedNote.Sign(checkpoint.Format(), signer);
        var opened = SignedNote.Open(System.Text.Encoding.UTF8.GetBytes(note), [signer.Verifier]);
        Assert.True(opened.IsVerified);
        Assert.True(Checkpoint.TryParse(opened.Text, out var parsed));
        Assert.Equal(checkpoint, parsed);
        Assert.NotEqual(checkpoint, new Checkpoint("log.example/mimi", 1235, MerkleHash.LeafHash("x"u8)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("example.com/log\n5\n")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")]
    [InlineData("\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n05\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n-5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n 5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n\n")]
    public void Malformed_checkpoints_do_not_parse(string? text)
    {
        Assert.False(Checkpoint.TryParse(text, out _));
    }

    [Fact]
    public void Constructor_refuses_fields_that_would_not_parse()
    {
        var root = MerkleHash.EmptyRoot.ToArray();
        Assert.Throws<ArgumentException>(() => new Checkpoint("", 0, root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("a\nb", 0, root));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("a", -1, root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("a", 0, new byte[31]));
        Assert.Throws<ArgumentException>(() => new Checkpoint("a", 0, root, [""]));
    }
}
