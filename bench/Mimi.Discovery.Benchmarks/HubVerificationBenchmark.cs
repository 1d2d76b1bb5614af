using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Sandbox;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// What checking MLS costs the hub: ts-mls builds a room of 100 members, then records commits by its creator, updates
/// (with a path) and adds (one KeyPackage each; ts-mls sends these without a path) alternating; the hub's state machine replays them from
/// the 100-member state on one thread — decoding the commit and its GroupInfo, verifying every signature, applying the
/// proposals and the path, hashing the new tree — as <c>Hub.UpdateAsync</c> does before it stores anything. Next to it,
/// in the same run and on the same thread: raw Ed25519 verifications of the commits' FramedContentTBS and raw hashes of
/// the whole 100-member tree with nothing cached, which give the CPU bound of a commit (its signatures plus one full
/// tree hash).
/// </summary>
internal static class HubVerificationBenchmark
{
    private const int Members = 100;
    private const int RecordedCommits = 40;
    private const string Group = "bench-hub-checks";

    public static async Task RunAsync(MlsPeer mls, TimeSpan duration)
    {
        var rounds = int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
        var (start, commits) = await RecordAsync(mls);
        var signatures = commits.Sum(c => c.Signatures) / (double)commits.Count;
        var now = DateTimeOffset.UtcNow;

        // Once through, checked: every recorded commit must be accepted, or the figure would measure refusals.
        var state = start;
        foreach (var commit in commits)
        {
            state = Apply(state, commit, now);
        }

        var probe = commits[0];
        var probeKey = start.Tree.LeafAt(0)!.SignatureKey;
        (string What, Action Operation)[] operations =
        [
            ($"commits verified and applied (replay of {commits.Count}: decode, signatures, proposals, path, tree hash, GroupInfo)", () =>
            {
                var s = start;
                foreach (var commit in commits)
                {
                    s = Apply(s, commit, now);
                }
            }),
            ("raw Ed25519 verifications (a commit's FramedContentTBS)", () => Expect(
                probe.Message.PublicMessage!.VerifySignature(start.Context, probeKey.Span) == MlsSignatureCheck.Valid, "the probe signature did not verify")),
        ];

        var rates = new double[operations.Length + 1, rounds];
        for (var round = 0; round < rounds; round++)
        {
            for (var j = 0; j < operations.Length; j++)
            {
                rates[j, round] = Measure.Rate(operations[j].Operation, 1, duration / rounds);
            }

            rates[operations.Length, round] = FullTreeHashRate(start.Tree.EncodeContents(), start.Context.CipherSuite, duration / rounds);
        }

        double Median(Func<int, double> perRound) => Enumerable.Range(0, rounds).Select(perRound).Order().ElementAt(rounds / 2);
        var commitRate = Median(r => rates[0, r] * commits.Count);
        var bound = Median(r => 1 / ((signatures / rates[1, r]) + (1 / rates[2, r])));
        var table = new StringBuilder(
            $"## Hub MLS checks (room of {Members} members, suite 1, one thread, median of {rounds} rounds)\n\n| what | per second | ratio |\n|---|---:|---:|\n");
        table.Append(CultureInfo.InvariantCulture, $"| commits verified and applied ({commits.Count / 2} updates and {commits.Count - (commits.Count / 2)} one-member adds, {commits.Count(c => c.Message.PublicMessage!.Content.Commit!.Path is not null)} with a path, each with its GroupInfo) | {commitRate:N0} | {Median(r => rates[0, r] * commits.Count / (1 / ((signatures / rates[1, r]) + (1 / rates[2, r])))):F2} of the CPU bound |\n");
        table.Append(CultureInfo.InvariantCulture, $"| CPU bound of a commit: {signatures:F1} signature verifications + one full tree hash | {bound:N0} | 1.00 |\n");
        table.Append(CultureInfo.InvariantCulture, $"| raw Ed25519 verifications | {Median(r => rates[1, r]):N0} | – |\n");
        table.Append(CultureInfo.InvariantCulture, $"| raw hashes of the whole {Members}-member tree | {Median(r => rates[2, r]):N0} | – |\n");
        table.Append("\nThe hub hashes only the nodes a commit changes (the others' hashes are cached with the state), so it can beat a bound that\n" +
            "counts a full tree hash per commit; signatures are most of what is left.\n");
        Console.WriteLine(table);
    }

    private static MlsPublicGroupState Apply(MlsPublicGroupState state, RecordedCommit commit, DateTimeOffset now)
    {
        Expect(MlsMessage.TryDecode(commit.Commit, out var message, out var error), $"a recorded commit does not decode: {error.Message}");
        Expect(MlsMessage.TryDecode(commit.GroupInfo, out var info, out error), $"a recorded GroupInfo does not decode: {error.Message}");
        Expect(state.TryApplyCommit(message, new MlsCommitAttachments(info.GroupInfo, null), now, out var next, out var refusal), $"a recorded commit was refused: {refusal}");
        return next!;
    }

    /// <summary>The 100-member state, and the commits that follow it.</summary>
    private static async Task<(MlsPublicGroupState Start, List<RecordedCommit> Commits)> RecordAsync(MlsPeer mls)
    {
        var clock = Stopwatch.StartNew();
        await mls.CreateClientAsync("hub-bench-0", "mimi://bench.test/d/hub-bench-0");
        await mls.CreateGroupAsync("hub-bench-0", Group);
        var keyPackages = new List<byte[]>();
        for (var i = 1; i < Members + (RecordedCommits / 2); i++)
        {
            await mls.CreateClientAsync($"hub-bench-{i}", $"mimi://bench.test/d/hub-bench-{i}");
            keyPackages.Add((await mls.KeyPackageAsync($"hub-bench-{i}")).KeyPackage);
        }

        var full = await mls.AddMemberAsync("hub-bench-0", Group, keyPackages.Take(Members - 1));
        Expect(MlsMessage.TryDecode(full.GroupInfo, out var info, out var error), $"the GroupInfo does not decode: {error.Message}");
        Expect(MlsRatchetTree.TryReadExtensionData(full.RatchetTree, out var contents, out error), $"the ratchet tree does not decode: {error.Message}");
        Expect(MlsPublicGroupState.TryCreate(info.GroupInfo!, contents, DateTimeOffset.UtcNow, out var start, out var refusal), $"the 100-member state was refused: {refusal}");

        var commits = new List<RecordedCommit>();
        for (var i = 0; i < RecordedCommits; i++)
        {
            var made = i % 2 == 0
                ? await mls.UpdateAsync("hub-bench-0", Group)
                : await mls.AddMemberAsync("hub-bench-0", Group, keyPackages[Members - 1 + (i / 2)]);
            Expect(MlsMessage.TryDecode(made.Commit, out var message, out error), $"a commit does not decode: {error.Message}");
            commits.Add(new RecordedCommit(made.Commit, made.GroupInfo, message, Signatures(message)));
        }

        Console.WriteLine($"(ts-mls built the {Members}-member room and recorded {commits.Count} commits in {clock.Elapsed.TotalSeconds:F1} s)");
        return (start!, commits);
    }

    /// <summary>The signatures a hub verifies for a commit: the content's, its GroupInfo's, the path leaf's, and per Add the KeyPackage's and its leaf's.</summary>
    private static int Signatures(MlsMessage commit)
    {
        var content = commit.PublicMessage!.Content.Commit!;
        var adds = content.Proposals.Count(p => p.Proposal?.Type == MlsProposalType.Add);
        return 2 + (content.Path is null ? 0 : 1) + (2 * adds);
    }

    /// <summary>Hashes of the whole tree with nothing cached: freshly decoded copies (a hashed tree keeps its hashes), decoding not timed.</summary>
    private static double FullTreeHashRate(byte[] contents, MlsCipherSuite suite, TimeSpan duration)
    {
        var timed = TimeSpan.Zero;
        var count = 0L;
        while (timed < duration)
        {
            var trees = new MlsPublicTree[64];
            for (var i = 0; i < trees.Length; i++)
            {
                Expect(MlsPublicTree.TryDecode(contents, out var tree, out var error), $"the tree does not decode: {error.Message}");
                trees[i] = tree;
            }

            var clock = Stopwatch.StartNew();
            foreach (var tree in trees)
            {
                tree.TreeHash(suite);
            }

            timed += clock.Elapsed;
            count += trees.Length;
        }

        return count / timed.TotalSeconds;
    }

    private static void Expect([DoesNotReturnIf(false)] bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }

    private sealed record RecordedCommit(byte[] Commit, byte[] GroupInfo, MlsMessage Message, int Signatures);
}
