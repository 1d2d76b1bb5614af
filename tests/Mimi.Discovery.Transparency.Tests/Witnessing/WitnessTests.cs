using System.Text;
using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests.Witnessing;

/// <summary>The witness role of C2SP tlog-witness: what it cosigns, what it refuses with which status, and that it never rolls back.</summary>
public sealed class WitnessTests
{
    private readonly WitnessedLog _log = new();
    private readonly Cosigner _cosigner = Cosigner.Generate("witness.example/w1");
    private readonly MemoryWitnessState _state = new();
    private readonly Witness _witness;

    public WitnessTests()
    {
        _witness = new Witness(_cosigner, [new(_log.Origin, _log.Signer.Verifier)], _state);
        _log.Grow(20);
    }

    [Fact]
    public async Task It_cosigns_a_first_checkpoint_then_a_consistent_one_storing_each_before_answering()
    {
        var first = await _witness.AddCheckpointAsync(_log.Request(0, 7), default);
        Assert.Equal(WitnessOutcome.Cosigned, first.Outcome);
        Assert.Equal(7, _state[_log.Origin]!.Size);

        var second = await _witness.AddCheckpointAsync(_log.Request(7, 20), default);

        Assert.Equal(200, second.StatusCode);
        Assert.True(Cosignature.TryParse(second.Body, out var cosignature));
        Assert.EndsWith("\n", second.Body, StringComparison.Ordinal);
        Assert.True(_cosigner.Verifier.Verify(_log.Checkpoint(20).Format(), cosignature));
        Assert.Equal(_log.Checkpoint(20), _state[_log.Origin]);
        // The cosigned note verifies for a client that trusts this witness.
        var trust = new CheckpointTrust(_log.Signer.Verifier, [_cosigner.Verifier], 1);
        Assert.True(trust.Verify(_log.Note(20) + second.Body).IsTrusted);
    }

    [Fact]
    public async Task A_wrong_old_size_is_409_with_the_witness_size_as_text_x_tlog_size()
    {
        await _witness.AddCheckpointAsync(_log.Request(0, 7), default);

        var response = await _witness.AddCheckpointAsync(_log.Request(0, 20), default);

        Assert.Equal(WitnessOutcome.Conflict, response.Outcome);
        Assert.Equal("text/x.tlog.size", response.ContentType);
        Assert.Equal("7\n", response.Body);
        Assert.Equal(7, _state[_log.Origin]!.Size);
    }

    [Fact]
    public async Task A_fork_at_the_same_size_is_409_and_the_state_stays()
    {
        await _witness.AddCheckpointAsync(_log.Request(0, 7), default);
        var fork = new WitnessedLog(_log.Origin);
        var forkWitness = new Witness(_cosigner, [new(_log.Origin, fork.Signer.Verifier)], _state);
        fork.Grow(7, salt: "rewritten ");

        var response = await forkWitness.AddCheckpointAsync(fork.Request(7, 7), default);

        Assert.Equal(WitnessOutcome.Conflict, response.Outcome);
        Assert.Equal("7\n", response.Body);
        Assert.Equal(_log.Checkpoint(7), _state[_log.Origin]);
    }

    [Fact]
    public async Task A_rewritten_history_is_422_and_the_state_stays()
    {
        await _witness.AddCheckpointAsync(_log.Request(0, 7), default);
        var writes = _state.Writes;
        // Same signing key, history rewritten below size 7: no proof from the witness's root can verify.
        var rewritten = new WitnessedLog(_log.Origin);
        rewritten.Grow(20, salt: "rewritten ");
        var request = new AddCheckpointRequest(7, rewritten.Proof(7, 20), SignedNote.Sign(rewritten.Checkpoint(20).Format(), _log.Signer));

        var response = await _witness.AddCheckpointAsync(request, default);
        var spoiled = await _witness.AddCheckpointAsync(new AddCheckpointRequest(7, [.. _log.Proof(7, 20).Skip(1)], _log.Note(20)), default);

        Assert.Equal(WitnessOutcome.BadProof, response.Outcome);
        Assert.Equal(WitnessOutcome.BadProof, spoiled.Outcome);
        Assert.Equal(writes, _state.Writes);
        Assert.Equal(_log.Checkpoint(7), _state[_log.Origin]);
    }

    [Fact]
    public async Task A_bad_log_signature_is_403_an_unknown_origin_404_and_old_above_the_size_400()
    {
        var stranger = new WitnessedLog("log.example/stranger");
        stranger.Grow(3);
        var otherKey = SignedNote.Sign(_log.Checkpoint(7).Format(), NoteSigner.Generate(_log.Origin));

        Assert.Equal(WitnessOutcome.Forbidden, (await _witness.AddCheckpointAsync(new AddCheckpointRequest(0, [], otherKey), default)).Outcome);
        Assert.Equal(WitnessOutcome.UnknownOrigin, (await _witness.AddCheckpointAsync(stranger.Request(0, 3), default)).Outcome);
        Assert.Equal(WitnessOutcome.BadRequest, (await _witness.AddCheckpointAsync(new AddCheckpointRequest(8, [], _log.Note(7)), default)).Outcome);
        Assert.Equal(WitnessOutcome.BadRequest, (await _witness.AddCheckpointAsync(Encoding.UTF8.GetBytes("old 0\n"), default)).Outcome);
        Assert.Null(_state[_log.Origin]);
        Assert.Equal(0, _state.Writes);
    }

    [Fact]
    public async Task The_same_checkpoint_again_is_cosigned_without_a_write_and_a_smaller_one_never_rolls_back()
    {
        await _witness.AddCheckpointAsync(_log.Request(0, 20), default);
        var writes = _state.Writes;

        var again = await _witness.AddCheckpointAsync(_log.Request(20, 20), default);
        var smaller = await _witness.AddCheckpointAsync(new AddCheckpointRequest(20, [], _log.Note(7)), default);

        Assert.Equal(WitnessOutcome.Cosigned, again.Outcome);
        Assert.Equal(writes, _state.Writes);
        Assert.Equal(WitnessOutcome.BadRequest, smaller.Outcome);
        Assert.Equal(20, _state[_log.Origin]!.Size);
    }

    [Fact]
    public async Task Concurrent_requests_from_one_size_cosign_one_and_refuse_the_rest()
    {
        await _witness.AddCheckpointAsync(_log.Request(0, 5), default);
        var sizes = Enumerable.Range(6, 14).ToList();

        var answers = await Task.WhenAll(sizes.Select(size => Task.Run(() => _witness.AddCheckpointAsync(_log.Request(5, size), default))));

        var cosigned = answers.Where(a => a.Outcome == WitnessOutcome.Cosigned).ToList();
        Assert.Single(cosigned);
        Assert.All(answers.Where(a => a.Outcome != WitnessOutcome.Cosigned), a => Assert.Equal(WitnessOutcome.Conflict, a.Outcome));
        Assert.Equal(sizes[Array.IndexOf(answers, cosigned[0])], _state[_log.Origin]!.Size);
    }
}
