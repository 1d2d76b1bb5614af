namespace Mimi.Discovery.Transparency.Tests.Support;

/// <summary>Fuzz inputs for parsers of untrusted bytes: every third one random, the others a valid input with a few bytes changed and cut short.</summary>
public static class Mutations
{
    public static IEnumerable<byte[]> Of(int seed, int count, int maxRandomLength, params byte[][] valid)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            if (i % 3 == 0)
            {
                var bytes = new byte[random.Next(0, maxRandomLength)];
                random.NextBytes(bytes);
                yield return bytes;
                continue;
            }

            var mutated = (byte[])valid[i % valid.Length].Clone();
            for (var m = random.Next(1, 4); m > 0 && mutated.Length > 0; m--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            yield return mutated[..random.Next(mutated.Length + 1)];
        }
    }
}
