using Microsoft.Extensions.Options;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>Signs checkpoints of the current head; signatures are cached per tree size (Ed25519 is deterministic).</summary>
internal sealed class CheckpointService(LogStore store, NoteSigner signer, IOptions<LogOptions> options)
{
    private (long Size, string Note)? _last;

    public string VerifierKey => signer.VerifierKey;

    public async Task<(LogHead Head, string Note)> GetAsync(CancellationToken ct)
    {
        var head = await store.GetHeadAsync(ct);
        if (_last is { } last && last.Size == head.Size)
        {
            return (head, last.Note);
        }

        var note = SignedNote.Sign(new Checkpoint(options.Value.Origin, head.Size, head.Root).Format(), signer);
        _last = (head.Size, note);
        return (head, note);
    }
}
