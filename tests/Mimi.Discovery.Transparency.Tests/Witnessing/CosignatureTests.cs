using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.Transparency.Tests.Witnessing;

/// <summary>C2SP tlog-cosignature <c>cosignature/v1</c>: the line, the key ID, the vkey and the signed message.</summary>
public sealed class CosignatureTests
{
    // The example of C2SP tlog-cosignature: a witness line on the tlog-checkpoint example, made at "time 1679315147".
    private const string SpecLine = "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==";
    private const string Body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    [Fact]
    public void The_spec_example_line_parses_to_its_name_key_id_and_timestamp_and_formats_back()
    {
        Assert.True(Cosignature.TryParse(SpecLine, out var cosignature));

        Assert.Equal("witness.example.com/w1", cosignature.Name);
        Assert.Equal(0x8d66cf3fu, cosignature.KeyId);
        // The timestamp line of the spec's signed-message example.
        Assert.Equal(1679315147, cosignature.Timestamp);
        Assert.Equal(SpecLine + "\n", cosignature.Format());
    }

    [Fact]
    public void Key_id_is_sha256_of_name_newline_0x04_key_and_the_vkey_carries_type_0x04()
    {
        var cosigner = Cosigner.Generate("witness.example/w1");
        var expected = SHA256.HashData([.. "witness.example/w1\n"u8, 0x04, .. cosigner.Verifier.PublicKey])[..4];

        Assert.Equal(Convert.ToHexStringLower(expected), cosigner.KeyId.ToString("x8"));
        var parts = cosigner.VerifierKey.Split('+', 3);
        Assert.Equal(["witness.example/w1", Convert.ToHexStringLower(expected)], parts[..2]);
        Assert.Equal([0x04, .. cosigner.Verifier.PublicKey], Convert.FromBase64String(parts[2]));
        Assert.Equal(cosigner.VerifierKey, CosignatureVerifier.Parse(cosigner.VerifierKey).VerifierKey);
        // A note key (type 0x01) is not a cosigner key, nor the other way round: the type byte separates them.
        Assert.False(NoteVerifier.TryParse(cosigner.VerifierKey, out _));
        Assert.False(CosignatureVerifier.TryParse(NoteSigner.Generate("log.example/x").VerifierKey, out _));
    }

    [Fact]
    public void A_cosignature_verifies_over_its_body_only_and_under_its_key_only()
    {
        var cosigner = Cosigner.Generate("witness.example/w1");
        var line = cosigner.Sign(Body, 1_700_000_000).Format();
        Assert.True(Cosignature.TryParse(line, out var cosignature));

        Assert.True(cosigner.Verifier.Verify(Body, cosignature));
        Assert.Equal(1_700_000_000, cosignature.Timestamp);
        Assert.False(cosigner.Verifier.Verify(Body.Replace("20852163", "20852164", StringComparison.Ordinal), cosignature));
        Assert.False(cosigner.Verifier.Verify(Body, new Cosignature(cosignature.Name, cosignature.KeyId, cosignature.Timestamp + 1, cosignature.Signature)));
        Assert.False(Cosigner.Generate("witness.example/w1").Verifier.Verify(Body, cosignature));
    }

    [Fact]
    public void The_signer_key_round_trips_and_signs_identically()
    {
        var cosigner = Cosigner.Generate("witness.example/w1");
        var parsed = Cosigner.ParseSignerKey(cosigner.SignerKey);

        Assert.StartsWith("PRIVATE+KEY+witness.example/w1+", cosigner.SignerKey, StringComparison.Ordinal);
        Assert.Equal(cosigner.VerifierKey, parsed.VerifierKey);
        Assert.Equal(cosigner.Sign(Body, 5).Format(), parsed.Sign(Body, 5).Format());
        Assert.False(Cosigner.TryParseSignerKey(NoteSigner.Generate("w").SignerKey, out _));
        Assert.False(Cosigner.TryParseSignerKey(cosigner.VerifierKey, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("— witness.example.com/w1")]
    [InlineData("- witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==")]
    [InlineData("— witness.example.com/w1  jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==")]
    [InlineData("— witness+example jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==")]
    // A log's own Ed25519 note signature (4 + 64 bytes) is not a cosignature.
    [InlineData("— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=")]
    // A timestamp of 2^63 or more.
    [InlineData("— witness.example.com/w1 jWbPP4AAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==")]
    [InlineData("— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=")]
    [InlineData("— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n\n")]
    public void Malformed_lines_are_not_cosignatures(string line)
    {
        Assert.False(Cosignature.TryParse(line, out _));
    }

    [Fact]
    public void The_signed_message_is_the_header_the_time_line_and_the_body()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("cosignature/v1\ntime 1679315147\n" + Body), Cosignature.SignedMessage(Body, 1679315147));
        Assert.Throws<ArgumentException>(() => Cosigner.Generate("w").Sign("no newline", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cosigner.Generate("w").Sign(Body, -1));
    }
}
