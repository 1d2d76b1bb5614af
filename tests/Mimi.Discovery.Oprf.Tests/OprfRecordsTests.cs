using System.Security.Cryptography;

namespace Mimi.Discovery.Oprf.Tests;

public sealed class OprfRecordsTests
{
    [Fact]
    public void A_record_opens_only_under_the_output_that_sealed_it_and_is_padded()
    {
        var (tag, key) = OprfRecords.Derive(RandomNumberGenerator.GetBytes(32));
        var (otherTag, otherKey) = OprfRecords.Derive(RandomNumberGenerator.GetBytes(32));
        var plaintext = "{\"ssi\":\"mimi://beta.test/u/bob\"}"u8.ToArray();

        var sealedRecord = OprfRecords.Seal(key, tag, plaintext);

        Assert.Equal(OprfRecords.NonceLength + OprfRecords.PaddingBlock + OprfRecords.GcmTagLength, sealedRecord.Length);
        Assert.StartsWith("{\"ssi\"", System.Text.Encoding.UTF8.GetString(OprfRecords.Open(key, tag, sealedRecord)!));
        Assert.Null(OprfRecords.Open(otherKey, tag, sealedRecord));
        Assert.Null(OprfRecords.Open(key, otherTag, sealedRecord));
        Assert.Null(OprfRecords.Open(key, tag, sealedRecord[..20]));
    }

    [Theory]
    [InlineData(16, 0xABCD)]
    [InlineData(8, 0xAB)]
    [InlineData(20, 0xABCDE)]
    public void The_bucket_is_the_leading_bits_of_the_tag(int bits, long bucket)
    {
        byte[] tag = [0xAB, 0xCD, 0xEF, 0x01, .. new byte[12]];

        Assert.Equal(bucket, OprfRecords.Bucket(tag, bits));
    }

    [Fact]
    public void Derivation_is_deterministic_and_separates_tag_from_key()
    {
        var output = RandomNumberGenerator.GetBytes(32);

        var (tag, key) = OprfRecords.Derive(output);

        Assert.Equal(tag, OprfRecords.Derive(output).Tag);
        Assert.Equal(OprfRecords.TagLength, tag.Length);
        Assert.Equal(OprfRecords.KeyLength, key.Length);
        Assert.NotEqual(tag, key[..OprfRecords.TagLength]);
    }
}
