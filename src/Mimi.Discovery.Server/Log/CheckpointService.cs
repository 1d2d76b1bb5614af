using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Log.Witnessing;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// The checkpoint <c>/log/checkpoint</c> serves. Without witnesses: the current head, signed (signatures cached per tree
/// size; Ed25519 is deterministic). With witnesses (<c>Log:Witnesses</c>): the newest checkpoint that reached the quorum,
/// its cosignature lines after the log's signature; the signed head while none has (clients that require the quorum
/// refuse it, as they should).
/// </summary>
internal sealed class CheckpointService(LogStore store, WitnessStore witnesses, NoteSigner signer, IOptions<LogOptions> options,
    IOptions<LogWitnessesOptions> witnessOptions)
{
    private readonly string[] _witnessKeys = [.. witnessOptions.Value.List.Select(w => w.VerifierKey)];
    private (long Size, string Note)? _last;

    public string VerifierKey => signer.VerifierKey;

    /// <summary>The signed checkpoint note to serve, with cosignature lines when witnesses are configured.</summary>
    public async Task<string> GetNoteAsync(CancellationToken ct)
    {
        if (_witnessKeys.Length > 0 && await witnesses.GetNewestCosignedAsync(_witnessKeys, witnessOptions.Value.Quorum, ct) is { } cosigned)
        {
            return cosigned.Note + string.Concat(cosigned.Cosignatures);
        }

        var head = await store.GetHeadAsync(ct);
        if (_last is { } last && last.Size == head.Size)
        {
            return last.Note;
        }

        var note = SignedNote.Sign(new Checkpoint(options.Value.Origin, head.Size, head.Root).Format(), signer);
        _last = (head.Size, note);
        return note;
    }
}
