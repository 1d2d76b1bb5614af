using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests.Entries;

public class EntryBundleTests
{
    [Fact]
    public void Bundle_is_each_entry_as_a_big_endian_uint16_length_then_its_bytes()
    {
        byte[][] entries = [[0x41], [], new byte[300]];

        var bundle = EntryBundle.Write(entries);

        Assert.Equal([0x00, 0x01, 0x41, 0x00, 0x00, 0x01, 0x2c], bundle[..7]);
        Assert.Equal(2 + 1 + 2 + 2 + 300, bundle.Length);
        var ranges = new Range[3];
        Assert.True(EntryBundle.TrySplit(bundle, ranges));
        Assert.Equal(entries, ranges.Select(r => bundle[r]));
    }

    [Fact]
    public void Split_refuses_a_bundle_with_more_or_fewer_entries_or_a_length_past_its_end()
    {
        var bundle = EntryBundle.Write([[1, 2, 3], [4]]);

        Assert.False(EntryBundle.TrySplit(bundle, new Range[1]));
        Assert.False(EntryBundle.TrySplit(bundle, new Range[3]));
        Assert.False(EntryBundle.TrySplit(bundle[..^1], new Range[2]));
        Assert.False(EntryBundle.TrySplit([0x00], new Range[1]));
        Assert.True(EntryBundle.TrySplit([], []));
        Assert.Throws<ArgumentException>(() => EntryBundle.Write([new byte[EntryBundle.MaxEntryLength + 1]]));
    }

    [Fact]
    public void Random_and_mutated_bundles_never_throw_and_ranges_stay_inside_the_bundle()
    {
        var random = new Random(2561);
        var valid = EntryBundle.Write([.. Enumerable.Range(0, 20).Select(i => new byte[random.Next(0, 200)])]);
        foreach (var bytes in Mutations.Of(2561, 20_000, 600, valid))
        {
            var ranges = new Range[random.Next(0, 30)];
            if (EntryBundle.TrySplit(bytes, ranges))
            {
                Assert.All(ranges, r => Assert.InRange(r.End.Value, r.Start.Value, bytes.Length));
            }
        }
    }
}
