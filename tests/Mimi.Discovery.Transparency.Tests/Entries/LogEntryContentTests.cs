using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests.Entries;

public sealed class LogEntryContentTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 7, 14, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Indexed_entry_is_fixed_order_json_in_whole_seconds_and_parses_back()
    {
        var index = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var commitment = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

        var bytes = LogEntryContent.Write(LogEntryType.Revocation, Time, "0123456789abcdef", index, commitment);

        Assert.Equal(
            "{\"v\":2,\"type\":\"revocation\",\"time\":\"2026-12-07T14:00:00Z\",\"vrfKey\":\"0123456789abcdef\",\"identifierIndex\":\""
            + Convert.ToBase64String(index) + "\",\"commitment\":\"" + Convert.ToBase64String(commitment) + "\"}",
            Encoding.UTF8.GetString(bytes));
        Assert.True(LogEntryContent.TryParse(bytes, out var parsed));
        Assert.Equal(2, parsed!.Format);
        Assert.Equal(LogEntryType.Revocation, parsed.Type);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 14, 0, 0, TimeSpan.Zero), parsed.Time);
        Assert.Equal(index, parsed.IdentifierIndex);
        Assert.Equal(commitment, parsed.Commitment);
        Assert.Equal("0123456789abcdef", parsed.VrfKeyId);
        Assert.Null(parsed.Provider);
    }

    [Fact]
    public void Format_1_entries_written_before_the_index_still_parse()
    {
        var issuance = """{"type":"issuance","time":"2026-01-02T03:04:05.0000000Z","provider":"beta.test","serial":"0a1b","certificateSha256":"ab","attestation":"provider","notAfter":"2026-01-03T03:04:05.0000000Z"}""";
        var revocation = """{"type":"revocation","time":"2026-01-02T03:04:06.0000000Z","provider":"beta.test","serial":"0a1b","revokedBy":"beta.test","reason":"superseded"}""";

        Assert.True(LogEntryContent.TryParse(Encoding.UTF8.GetBytes(issuance), out var i));
        Assert.True(LogEntryContent.TryParse(Encoding.UTF8.GetBytes(revocation), out var r));

        Assert.Equal((1, LogEntryType.Issuance, "beta.test", "0a1b", "ab"), (i!.Format, i.Type, i.Provider, i.Serial, i.CertificateSha256));
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 3, 4, 5, TimeSpan.Zero), i.NotAfter);
        Assert.Null(i.IdentifierIndex);
        Assert.Equal((1, LogEntryType.Revocation, "superseded"), (r!.Format, r.Type, r.Reason));
    }

    [Theory]
    [InlineData("{\"v\":3,\"type\":\"issuance\",\"time\":\"2026-12-07T14:00:00Z\",\"vrfKey\":\"k\",\"identifierIndex\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"commitment\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")]
    [InlineData("{\"v\":2,\"type\":\"renewal\",\"time\":\"2026-12-07T14:00:00Z\",\"vrfKey\":\"k\",\"identifierIndex\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"commitment\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")]
    [InlineData("{\"v\":2,\"type\":\"issuance\",\"time\":\"2026-12-07T14:00:00Z\",\"vrfKey\":\"k\",\"identifierIndex\":\"AAAA\",\"commitment\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")]
    [InlineData("{\"v\":2,\"type\":\"issuance\",\"time\":\"2026-12-07T14:00:00Z\",\"vrfKey\":\"k\",\"identifierIndex\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"commitment\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"provider\":\"evil.test\"}")]
    [InlineData("{\"v\":2,\"v\":2,\"type\":\"issuance\",\"time\":\"2026-12-07T14:00:00Z\",\"vrfKey\":\"k\",\"identifierIndex\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")]
    [InlineData("{\"type\":\"issuance\"}")]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":{\"nested\":1},\"serial\":\"a\"}")]
    [InlineData("{\"type\":\"issuance\",\"serial\":\"a\"} trailing")]
    public void Malformed_or_unknown_entries_do_not_parse(string text) =>
        Assert.False(LogEntryContent.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void Commitment_opens_only_with_its_opening_and_exact_value()
    {
        var value = LogCommitment.IssuanceValue("tel:+15550001111", "mimi://beta.test/u/bob", "beta.test", "0a1b", new byte[32], "one-time-code", Time);
        var opening = LogCommitment.NewOpening();
        var commitment = LogCommitment.Commit(opening, value);

        Assert.True(LogCommitment.Opens(commitment, opening, value));
        var otherOpening = (byte[])opening.Clone();
        otherOpening[0] ^= 1;
        Assert.False(LogCommitment.Opens(commitment, otherOpening, value));
        var otherValue = LogCommitment.IssuanceValue("tel:+15550001111", "mimi://evil.test/u/bob", "evil.test", "0a1b", new byte[32], "one-time-code", Time);
        Assert.False(LogCommitment.Opens(commitment, opening, otherValue));
        Assert.False(LogCommitment.Opens(commitment, opening[..31], value));
        // Independent recomputation of the construction the contract states.
        var expected = HMACSHA256.HashData("mimi-discovery/log-commitment/v1"u8, [.. opening, .. value]);
        Assert.Equal(expected, commitment);
    }

    [Fact]
    public void Committed_values_parse_back_and_refuse_other_shapes()
    {
        var issuance = LogCommitment.IssuanceValue("tel:+15550001111", "mimi://beta.test/u/bob", "beta.test", "0a1b", new byte[32], "provider", Time);
        var revocation = LogCommitment.RevocationValue("tel:+15550001111", "beta.test", "0a1b", "operator", "key-compromise");

        Assert.True(CommittedValue.TryParse(issuance, out var i));
        Assert.Equal(new CommittedValue(LogEntryType.Issuance, "tel:+15550001111", "beta.test", "0a1b", "mimi://beta.test/u/bob", new string('0', 64), "provider",
            new DateTimeOffset(2026, 12, 7, 14, 0, 0, TimeSpan.Zero)), i);
        Assert.True(CommittedValue.TryParse(revocation, out var r));
        Assert.Equal(("operator", "key-compromise"), (r!.RevokedBy, r.Reason));
        Assert.False(CommittedValue.TryParse("{\"type\":\"issuance\",\"sii\":\"a\",\"provider\":\"b\",\"serial\":\"c\"}"u8, out _));
    }

    [Fact]
    public void Random_and_mutated_bytes_never_throw()
    {
        var valid = LogEntryContent.Write(LogEntryType.Issuance, Time, "0123456789abcdef", new byte[32], new byte[32]);
        var value = LogCommitment.RevocationValue("tel:+15550001111", "beta.test", "0a1b", "operator", "x");
        foreach (var bytes in Mutations.Of(13, 20_000, 300, valid, value))
        {
            LogEntryContent.TryParse(bytes, out _);
            CommittedValue.TryParse(bytes, out _);
        }
    }
}
