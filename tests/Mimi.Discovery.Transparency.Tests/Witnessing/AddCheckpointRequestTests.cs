using System.Text;

namespace Mimi.Discovery.Transparency.Tests.Witnessing;

/// <summary>The <c>add-checkpoint</c> request body of C2SP tlog-witness: formatted and parsed strictly.</summary>
public sealed class AddCheckpointRequestTests
{
    // The example request body of C2SP tlog-witness.
    private const string SpecExample = """
        old 20852014
        PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
        jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
        5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
        /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

        example.com/behind-the-sofa
        20852163
        CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

        — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
        — example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=

        """;

    [Fact]
    public void The_spec_example_parses_and_formats_back_to_the_same_bytes()
    {
        var body = Encoding.UTF8.GetBytes(SpecExample.ReplaceLineEndings("\n"));

        Assert.True(AddCheckpointRequest.TryParse(body, out var request, out var error), error);
        Assert.Equal(20852014, request.OldSize);
        Assert.Equal(4, request.Proof.Count);
        Assert.Equal(Convert.FromBase64String("/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0="), request.Proof[3]);
        Assert.StartsWith("example.com/behind-the-sofa\n20852163\n", request.SignedCheckpoint, StringComparison.Ordinal);
        Assert.Equal(body, Encoding.UTF8.GetBytes(request.Format()));
    }

    [Fact]
    public void A_first_request_has_old_zero_no_proof_and_round_trips()
    {
        var note = SignedNote.Sign(new Checkpoint("log.example/x", 3, MerkleHash.LeafHash("r"u8)).Format(), NoteSigner.Generate("log.example/x"));
        var request = new AddCheckpointRequest(0, [], note);

        Assert.Equal("old 0\n\n" + note, request.Format());
        Assert.True(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(request.Format()), out var parsed, out _));
        Assert.Equal(request, parsed);
    }

    [Theory]
    [InlineData("", "first line")]
    [InlineData("old 5", "first line")]
    [InlineData("old 05\n\nx\n", "first line")]
    [InlineData("old -5\n\nx\n", "first line")]
    [InlineData("old  5\n\nx\n", "first line")]
    [InlineData("Old 5\n\nx\n", "first line")]
    [InlineData("old 5\r\n\r\nx\n", "first line")]
    [InlineData("old 99999999999999999999\n\nx\n", "first line")]
    [InlineData("old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpka\n\nx\n", "proof line 1")]
    [InlineData("old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw\n\nx\n", "proof line 2")]
    [InlineData("old 5\nPlRNCrwHpqhGrupue0L7gx jbMiKA9temvuZZDDpkaw=\n\nx\n", "proof line 1")]
    [InlineData("old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n", "blank line")]
    [InlineData("old 5\n\n", "checkpoint")]
    [InlineData("old 5\n\nexample.com/log\n5", "checkpoint")]
    public void Malformed_bodies_are_refused_naming_the_part(string body, string named)
    {
        Assert.False(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Contains(named, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void More_than_63_proof_lines_invalid_utf8_and_oversized_bodies_are_refused()
    {
        var hashLine = Convert.ToBase64String(new byte[32]) + "\n";
        var tooLong = "old 5\n" + string.Concat(Enumerable.Repeat(hashLine, 64)) + "\nx\n";
        var longest = "old 5\n" + string.Concat(Enumerable.Repeat(hashLine, 63)) + "\nx\n";

        Assert.False(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(tooLong), out _, out var error));
        Assert.Contains("63", error, StringComparison.Ordinal);
        Assert.True(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(longest), out var parsed, out _));
        Assert.Equal(63, parsed.Proof.Count);
        Assert.False(AddCheckpointRequest.TryParse([.. "old 5\n\n"u8, 0xff, 0x0a], out _, out error));
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
        Assert.False(AddCheckpointRequest.TryParse(new byte[AddCheckpointRequest.MaxLength + 1], out _, out _));
    }
}
