using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// The public, read-only face of the issuance log: signed checkpoint, entries, inclusion and consistency proofs,
/// C2SP hash tiles and entry bundles, and the verifier key. Anyone may audit, so these endpoints are anonymous by design.
/// </summary>
internal static class LogApi
{
    public static IEndpointRouteBuilder MapLogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/log").WithTags("Log").AllowAnonymous();
        group.MapGet("/checkpoint", GetCheckpointAsync).WithName("GetCheckpoint")
            .WithSummary("The latest checkpoint, a C2SP signed note (origin, size, root) signed with Ed25519; with witnesses configured, the newest one that reached the quorum, with their cosignature/v1 lines.").Produces<string>(200, "text/plain");
        group.MapGet("/key", (CheckpointService checkpoints) => TypedResults.Text(checkpoints.VerifierKey + "\n"))
            .WithName("GetLogVerifierKey").WithSummary("The checkpoint verifier key: name+keyid+base64(0x01 ‖ Ed25519 public key).")
            .Produces<string>(200, "text/plain");
        group.MapGet("/entries", GetEntriesAsync).WithName("GetLogEntries")
            .WithSummary("Entries [start, start+count) as base64 of their exact bytes.");
        group.MapGet("/proof/inclusion", GetInclusionAsync).WithName("GetInclusionProof")
            .WithSummary("RFC 9162 inclusion proof of entry `index` in the tree of size `size` (default: latest).");
        group.MapGet("/proof/consistency", GetConsistencyAsync).WithName("GetConsistencyProof")
            .WithSummary("RFC 9162 consistency proof between tree sizes `from` and `to` (default: latest).");
        // The literal "entries" segment takes precedence over the catch-all below.
        group.MapGet("/tile/entries/{**path}", GetEntryBundleAsync).WithName("GetEntryBundle")
            .WithSummary("A C2SP tlog-tiles entry bundle: the entries of level-0 tile N, each as a big-endian uint16 length and its bytes, e.g. /log/tile/entries/x001/234 or /log/tile/entries/000.p/17.")
            .Produces<byte[]>(200, "application/octet-stream");
        group.MapGet("/tile/{**path}", GetTileAsync).WithName("GetTile")
            .WithSummary("A C2SP tlog-tiles hash tile (height 8), e.g. /log/tile/0/x001/234 or /log/tile/1/000.p/17.")
            .Produces<byte[]>(200, "application/octet-stream");
        return app;
    }

    private static async Task<ContentHttpResult> GetCheckpointAsync(CheckpointService checkpoints, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Text(await checkpoints.GetNoteAsync(ct), "text/plain; charset=utf-8");
    }

    private static async Task<Results<Ok<LogEntriesView>, ProblemHttpResult>> GetEntriesAsync(
        long? start, int? count, LogStore store, LogIntegrityMonitor integrity, IOptions<LogOptions> options, CancellationToken ct)
    {
        var max = options.Value.MaxEntriesPerRequest;
        if (start is not >= 0)
        {
            return Problems.InvalidRequest("start", "start is required and must be ≥ 0.");
        }

        if (count is { } c && (c < 1 || c > max))
        {
            return Problems.InvalidRequest("count", $"count must be between 1 and {max}.");
        }

        var head = await store.GetHeadAsync(ct);
        if (start >= head.Size)
        {
            return Problems.InvalidRequest("start", $"start must be below the tree size {head.Size}.");
        }

        var wanted = (int)Math.Min(count ?? max, head.Size - start.Value);
        var entries = await store.ReadEntriesAsync(start.Value, wanted, ct);
        if (await CheckServedAsync(store, integrity, entries, start.Value, wanted, head.Size, ct) is { } refused)
        {
            return refused;
        }

        return TypedResults.Ok(new LogEntriesView(head.Size, entries.Select(e => new LogEntryView(e.Index, Convert.ToBase64String(e.Data))).ToArray()));
    }

    /// <summary>
    /// Checks every entry about to be served against its leaf hash in the tree (level-0 tiles, cached): an entry altered
    /// in storage is an error, never a response. Null when all match.
    /// </summary>
    private static async Task<ProblemHttpResult?> CheckServedAsync(LogStore store, LogIntegrityMonitor integrity,
        IReadOnlyList<(long Index, byte[] Data)> entries, long start, int wanted, long treeSize, CancellationToken ct)
    {
        var leaf = new byte[MerkleHash.Size];
        TileCoordinate? tile = null;
        ReadOnlyMemory<byte> hashes = default;
        for (var i = 0; i < wanted; i++)
        {
            var index = start + i;
            if (i >= entries.Count || entries[i].Index != index)
            {
                integrity.ServedEntryMissing(index);
                return IntegrityProblem(index, $"Entry {index} is missing from the log's storage; the range is not served.");
            }

            if (tile?.Index != index >> TileCoordinate.Height)
            {
                tile = TileCoordinate.InTree(0, index >> TileCoordinate.Height, treeSize);
                hashes = await store.ReadTileAsync(tile.Value, ct);
            }

            MerkleHash.LeafHash(entries[i].Data, leaf);
            var offset = (int)(index & (TileCoordinate.FullWidth - 1)) * MerkleHash.Size;
            if (!hashes.Span.Slice(offset, MerkleHash.Size).SequenceEqual(leaf))
            {
                integrity.ServedEntryMismatch(index, tile.Value.Path);
                return IntegrityProblem(index, $"Entry {index} does not match its leaf hash in the log's tree: it was altered in storage and is not served.");
            }
        }

        return null;
    }

    private static ProblemHttpResult IntegrityProblem(long index, string detail) =>
        Problems.Create(StatusCodes.Status500InternalServerError, ProblemKinds.LogIntegrity, "The log failed its integrity check.",
            detail + " The operator has been alerted.", new Dictionary<string, object?> { ["index"] = index });

    private static async Task<Results<Ok<InclusionProofView>, ProblemHttpResult>> GetInclusionAsync(long? index, long? size, LogStore store, CancellationToken ct)
    {
        var head = await store.GetHeadAsync(ct);
        var treeSize = size ?? head.Size;
        if (treeSize < 1 || treeSize > head.Size)
        {
            return Problems.InvalidRequest("size", $"size must be between 1 and the current tree size {head.Size}.");
        }

        if (index is not { } i || i < 0 || i >= treeSize)
        {
            return Problems.InvalidRequest("index", $"index must be between 0 and size−1 ({treeSize - 1}).");
        }

        var proof = await MerkleTree.InclusionProofAsync(store, i, treeSize, ct);
        return TypedResults.Ok(new InclusionProofView(i, treeSize, proof.Select(Convert.ToBase64String).ToArray()));
    }

    private static async Task<Results<Ok<ConsistencyProofView>, ProblemHttpResult>> GetConsistencyAsync(long? from, long? to, LogStore store, CancellationToken ct)
    {
        var head = await store.GetHeadAsync(ct);
        var newSize = to ?? head.Size;
        if (newSize < 0 || newSize > head.Size)
        {
            return Problems.InvalidRequest("to", $"to must be between 0 and the current tree size {head.Size}.");
        }

        if (from is not { } oldSize || oldSize < 0 || oldSize > newSize)
        {
            return Problems.InvalidRequest("from", $"from must be between 0 and to ({newSize}).");
        }

        var proof = await MerkleTree.ConsistencyProofAsync(store, oldSize, newSize, ct);
        return TypedResults.Ok(new ConsistencyProofView(oldSize, newSize, proof.Select(Convert.ToBase64String).ToArray()));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTileAsync(string path, LogStore store, HttpContext http, CancellationToken ct)
    {
        // A generated client sends the '/' of a tile index (x001/234) as %2F, which routing leaves escaped.
        if (!TileCoordinate.TryParsePath("tile/" + Uri.UnescapeDataString(path), out var tile) || tile.IsEntryBundle)
        {
            return Problems.InvalidRequest("path", "Not a tile path: tile/<L>/<N>[.p/<W>] with N in 3-digit groups (x001/234).");
        }

        var head = await store.GetHeadAsync(ct);
        if (!TileCoordinate.Exists(tile, head.Size))
        {
            return Problems.NotFound($"Tile {tile.Path} is beyond the tree of size {head.Size}.");
        }

        var hashes = await store.ReadTileAsync(tile, ct);
        SetTileCaching(http, tile);
        return TypedResults.File(hashes[..(tile.Width * MerkleHash.Size)].ToArray(), "application/octet-stream");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetEntryBundleAsync(
        string path, LogStore store, LogIntegrityMonitor integrity, HttpContext http, CancellationToken ct)
    {
        if (!TileCoordinate.TryParsePath("tile/entries/" + Uri.UnescapeDataString(path), out var bundle) || !bundle.IsEntryBundle)
        {
            return Problems.InvalidRequest("path", "Not an entry bundle path: tile/entries/<N>[.p/<W>] with N in 3-digit groups (x001/234).");
        }

        var head = await store.GetHeadAsync(ct);
        if (!TileCoordinate.Exists(bundle, head.Size))
        {
            return Problems.NotFound($"Entry bundle {bundle.Path} is beyond the tree of size {head.Size}.");
        }

        var start = bundle.Index << TileCoordinate.Height;
        var entries = await store.ReadEntriesAsync(start, bundle.Width, ct);
        if (await CheckServedAsync(store, integrity, entries, start, bundle.Width, head.Size, ct) is { } refused)
        {
            return refused;
        }

        SetTileCaching(http, bundle);
        return TypedResults.File(EntryBundle.Write(entries.Select(e => e.Data).ToArray()), "application/octet-stream");
    }

    /// <summary>Full tiles and bundles never change; partial ones are replaced by wider versions.</summary>
    private static void SetTileCaching(HttpContext http, TileCoordinate tile) =>
        http.Response.Headers.CacheControl = tile.IsPartial ? "no-cache" : "public, max-age=31536000, immutable";
}
