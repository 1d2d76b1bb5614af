using System.Globalization;
using System.Text;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// The witness role of C2SP tlog-witness, without a host: for each configured log (origin and note verifier keys) it
/// keeps the latest checkpoint it cosigned, and cosigns a new one only when it is signed by the log, its <c>old</c>
/// size is the witness's, and a consistency proof shows it extends what the witness saw. It never rolls back: the new
/// checkpoint is stored (durably, by <see cref="IWitnessState"/>) before the cosignature is returned, with the check and
/// the update under one lock.
/// </summary>
public sealed class Witness
{
    private readonly Cosigner _cosigner;
    private readonly Dictionary<string, NoteVerifier[]> _logs;
    private readonly IWitnessState _state;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Creates a witness.</summary>
    /// <param name="cosigner">The witness's key.</param>
    /// <param name="logs">The logs it accepts: origin and a verifier key of the log (an origin may have several keys).</param>
    /// <param name="state">Where it keeps the latest cosigned checkpoint per origin.</param>
    /// <param name="time">The clock of the cosignature timestamps (the system's when null).</param>
    public Witness(Cosigner cosigner, IEnumerable<KeyValuePair<string, NoteVerifier>> logs, IWitnessState state, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(cosigner);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(state);
        _cosigner = cosigner;
        _state = state;
        _time = time ?? TimeProvider.System;
        _logs = logs.GroupBy(l => l.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(l => l.Value).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The witness's verifier key (<c>cosignature/v1</c>), for logs and clients to configure.</summary>
    public string VerifierKey => _cosigner.VerifierKey;

    /// <summary>The origins this witness accepts.</summary>
    public IReadOnlyCollection<string> Origins => _logs.Keys;

    /// <summary>Answers an <c>add-checkpoint</c> request body; never throws for bad input.</summary>
    public async Task<WitnessResponse> AddCheckpointAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (!AddCheckpointRequest.TryParse(body.Span, out var request, out var error))
        {
            return Text(WitnessOutcome.BadRequest, error);
        }

        return await AddCheckpointAsync(request, ct);
    }

    /// <summary>Answers a parsed <c>add-checkpoint</c> request; never throws for bad input.</summary>
    public async Task<WitnessResponse> AddCheckpointAsync(AddCheckpointRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var note = request.SignedCheckpoint;
        var originEnd = note.IndexOf('\n', StringComparison.Ordinal);
        if (originEnd <= 0)
        {
            return Text(WitnessOutcome.BadRequest, "The checkpoint has no origin line.");
        }

        var origin = note[..originEnd];
        if (!_logs.TryGetValue(origin, out var keys))
        {
            return Text(WitnessOutcome.UnknownOrigin, $"This witness does not witness the log '{origin}'.");
        }

        var opened = SignedNote.Open(Encoding.UTF8.GetBytes(note), keys);
        if (opened.Status is NoteStatus.Malformed or NoteStatus.TooLarge)
        {
            return Text(WitnessOutcome.BadRequest, $"The checkpoint is not a well-formed signed note ({opened.Status}).");
        }

        if (!opened.IsVerified)
        {
            return Text(WitnessOutcome.Forbidden, $"No signature by a key this witness trusts for '{origin}' verifies.");
        }

        if (!Checkpoint.TryParse(opened.Text, out var checkpoint) || checkpoint.Origin != origin)
        {
            return Text(WitnessOutcome.BadRequest, "The signed checkpoint body is malformed (origin, size, base64 root).");
        }

        if (request.OldSize > checkpoint.Size)
        {
            return Text(WitnessOutcome.BadRequest, $"old {request.OldSize} is larger than the checkpoint's size {checkpoint.Size}.") with { Checkpoint = checkpoint };
        }

        await _lock.WaitAsync(ct);
        try
        {
            var latest = await _state.GetAsync(origin, ct);
            var size = latest?.Size ?? 0;
            var root = latest?.RootHash ?? MerkleHash.EmptyRoot.ToArray();
            if (request.OldSize != size)
            {
                return Conflict(size, checkpoint);
            }

            if (checkpoint.Size == size && !checkpoint.RootHash.AsSpan().SequenceEqual(root))
            {
                // A second root for a size already cosigned: a fork. The body still says the witness's size.
                return Conflict(size, checkpoint);
            }

            if (!MerkleProof.VerifyConsistency(size, checkpoint.Size, root, checkpoint.RootHash, request.Proof))
            {
                var reason = $"The consistency proof from size {size} to {checkpoint.Size} does not verify against the checkpoint this witness cosigned.";
                return Text(WitnessOutcome.BadProof, reason) with { Checkpoint = checkpoint };
            }

            if (latest is null || checkpoint.Size > size)
            {
                await _state.SetAsync(new Checkpoint(checkpoint.Origin, checkpoint.Size, checkpoint.RootHash), ct);
            }

            var cosignature = _cosigner.Sign(opened.Text!, _time.GetUtcNow().ToUnixTimeSeconds());
            return new WitnessResponse(WitnessOutcome.Cosigned, WitnessResponse.TextContentType, cosignature.Format()) { Checkpoint = checkpoint };
        }
        finally
        {
            _lock.Release();
        }
    }

    private static WitnessResponse Conflict(long size, Checkpoint checkpoint) =>
        new(WitnessOutcome.Conflict, WitnessResponse.SizeContentType, size.ToString(CultureInfo.InvariantCulture) + "\n") { Checkpoint = checkpoint };

    private static WitnessResponse Text(WitnessOutcome outcome, string reason) => new(outcome, WitnessResponse.TextContentType, reason + "\n");
}
