using System.Text;

namespace Mimi.Discovery.Transparency.Tests.Vrf;

/// <summary>
/// The VRF's readers of untrusted bytes (public keys, proofs), fed random and mutated inputs from a fixed seed: none
/// throws, and no mutated proof verifies. A failure names the seed, the iteration and the input.
/// </summary>
public sealed class VrfFuzzTests
{
    private const int Seed = 20_261_207;
    private const int Iterations = 2000;

    [Fact]
    public void Mutated_and_random_proofs_never_throw_and_never_verify()
    {
        var random = new Random(Seed);
        using var key = VrfPrivateKey.Generate();
        var alpha = Encoding.UTF8.GetBytes("mailto:bob@example.com");
        var valid = key.Prove(alpha);
        var beta = new byte[EcVrf.OutputLength];
        for (var i = 0; i < Iterations; i++)
        {
            var proof = Mutate(random, valid);
            var input = random.Next(4) == 0 ? RandomBytes(random, random.Next(0, 64)) : alpha;
            Run(i, proof, () =>
            {
                var verified = key.PublicKey.Verify(input, proof, beta);
                var expected = proof.AsSpan().SequenceEqual(valid) && input.AsSpan().SequenceEqual(alpha);
                Assert.Equal(expected, verified);
                _ = EcVrf.TryProofToHash(proof, beta);
            });
        }
    }

    [Fact]
    public void Mutated_and_random_public_keys_parse_or_return_false_and_never_throw()
    {
        var random = new Random(Seed + 1);
        using var key = VrfPrivateKey.Generate();
        var valid = key.PublicKey.Encoded;
        var proof = key.Prove([1, 2, 3]);
        var beta = new byte[EcVrf.OutputLength];
        var parsed = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = Mutate(random, valid);
            Run(i, bytes, () =>
            {
                if (VrfPublicKey.TryParse(bytes, out var publicKey))
                {
                    parsed++;
                    Assert.Equal(bytes, publicKey.Encoded);
                    Assert.Equal(bytes.AsSpan().SequenceEqual(valid), publicKey.Verify([1, 2, 3], proof, beta));
                }
            });
        }

        // About half of the random x values are on the curve: the fuzzer reached the accepting path too.
        Assert.InRange(parsed, Iterations / 20, Iterations - 1);
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(7))
        {
            case 0:
                return RandomBytes(random, random.Next(0, valid.Length * 2));
            case 1:
                return bytes[..random.Next(0, bytes.Length)];
            case 2:
                return [.. bytes, .. RandomBytes(random, random.Next(1, 8))];
            case 3:
                // A random x with a valid prefix: a fair share of these are curve points.
                random.NextBytes(bytes.AsSpan(1, 32));
                bytes[0] = (byte)(2 + random.Next(2));
                return bytes;
            case 4:
                bytes.AsSpan(random.Next(bytes.Length)).Fill((byte)(random.Next(2) * 0xff));
                return bytes;
            default:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void Run(int iteration, byte[] input, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"seed {Seed}, iteration {iteration}, input {Convert.ToHexString(input)}: {ex.GetType().Name}", ex);
        }
    }
}
