using System.Text;
using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests.Witnessing;

/// <summary>
/// The parsers of witness input fed random and mutated inputs from a fixed seed: the add-checkpoint body, cosignature
/// lines, cosigned checkpoints, and the witness itself. None may throw; what parses formats back to itself; the witness
/// answers one of its statuses and its state never moves backwards. A failure prints the seed, the iteration and the input.
/// </summary>
public sealed class WitnessingFuzzTests
{
    private const int Seed = 20_260_313;
    private const int Iterations = 4000;

    private static readonly Cosigner W1 = Cosigner.Generate("witness.example/w1");

    [Fact]
    public void Add_checkpoint_bodies_parse_or_say_why_and_what_parses_formats_back()
    {
        var log = NewLog();
        byte[][] valid = [Encoding.UTF8.GetBytes(log.Request(0, 9).Format()), Encoding.UTF8.GetBytes(log.Request(5, 13).Format())];
        var random = new Random(Seed);
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, valid[i % 2]);
            Run(i, input, () =>
            {
                if (AddCheckpointRequest.TryParse(input, out var request, out var error))
                {
                    Assert.Equal(input, Encoding.UTF8.GetBytes(request.Format()));
                }
                else
                {
                    Assert.False(string.IsNullOrEmpty(error));
                }
            });
        }
    }

    [Fact]
    public void Cosignature_lines_parse_or_not_and_what_parses_formats_back()
    {
        var line = Encoding.UTF8.GetBytes(W1.Sign(NewLog().Checkpoint(9), 1_700_000_000).Format());
        var random = new Random(Seed + 1);
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, line);
            Run(i, input, () =>
            {
                var text = Encoding.UTF8.GetString(input);
                if (Cosignature.TryParse(text, out var cosignature))
                {
                    Assert.Equal(text.TrimEnd('\n'), cosignature.Format().TrimEnd('\n'));
                }
            });
        }
    }

    [Fact]
    public void Cosigned_checkpoints_verify_or_say_why()
    {
        var log = NewLog();
        var cosigned = Encoding.UTF8.GetBytes(log.Note(9) + W1.Sign(log.Checkpoint(9), 1).Format());
        var trust = new CheckpointTrust(log.Signer.Verifier, [W1.Verifier], 1);
        var random = new Random(Seed + 2);
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, cosigned);
            Run(i, input, () =>
            {
                var result = trust.Verify(input);
                Assert.False(string.IsNullOrEmpty(result.Reason));
                Assert.Equal(result.IsTrusted, result.Status == CheckpointTrustStatus.Trusted);
                Assert.True(!result.IsTrusted || result.Checkpoint is not null);
            });
        }
    }

    [Fact]
    public async Task The_witness_answers_every_body_with_a_status_and_never_moves_back()
    {
        var log = NewLog();
        var state = new MemoryWitnessState();
        var witness = new Witness(W1, [new(log.Origin, log.Signer.Verifier)], state);
        byte[][] valid =
        [
            Encoding.UTF8.GetBytes(log.Request(0, 5).Format()),
            Encoding.UTF8.GetBytes(log.Request(5, 9).Format()),
            Encoding.UTF8.GetBytes(log.Request(9, 13).Format()),
        ];
        var random = new Random(Seed + 3);
        long size = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var input = i % 50 == 0 ? valid[i / 50 % 3] : Mutate(random, valid[i % 3]);
            WitnessResponse? response = null;
            await RunAsync(i, input, async () => response = await witness.AddCheckpointAsync(input, default));
            Assert.True(Enum.IsDefined(response!.Outcome), $"iteration {i}: {response.Outcome}");
            var now = state[log.Origin]?.Size ?? 0;
            Assert.True(now >= size, $"iteration {i}: the witness moved back from {size} to {now}");
            if (now != size)
            {
                // It moved only to a checkpoint the log signed, consistently with what it had.
                Assert.Equal(log.Checkpoint((int)now), state[log.Origin]);
            }

            size = now;
        }
    }

    private static WitnessedLog NewLog()
    {
        var log = new WitnessedLog();
        log.Grow(13);
        return log;
    }

    /// <summary>A random input, or a valid one with a few bytes flipped, inserted, deleted, a line repeated or the end cut.</summary>
    private static byte[] Mutate(Random random, byte[] valid)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            return noise;
        }

        var bytes = valid.ToList();
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)"\n =+/0A—"[random.Next(8)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var end = bytes.IndexOf((byte)'\n', at);
                    if (end > at)
                    {
                        bytes.InsertRange(at, bytes.GetRange(at, end - at + 1));
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private static void Run(int iteration, byte[] input, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e)
        {
            Assert.Fail($"seed {Seed}, iteration {iteration}, input {Convert.ToHexString(input)}: {e}");
        }
    }

    private static async Task RunAsync(int iteration, byte[] input, Func<Task> check)
    {
        try
        {
            await check();
        }
        catch (Exception e)
        {
            Assert.Fail($"seed {Seed}, iteration {iteration}, input {Convert.ToHexString(input)}: {e}");
        }
    }
}
