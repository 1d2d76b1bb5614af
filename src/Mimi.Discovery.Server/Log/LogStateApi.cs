using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Log.Witnessing;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>The operator's view of the log (the console's log page, <c>mimi log state</c>): size, checkpoint, witnesses, self-audit.</summary>
internal static class LogStateApi
{
    public static IEndpointRouteBuilder MapLogStateApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/log/state", GetAsync).WithName("GetLogState").WithTags("Log")
            .WithSummary("The log's size and root, the checkpoint served, each configured witness's newest cosignature, and this instance's last self-audit pass. Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<LogStateView>> GetAsync(
        LogStore log, WitnessStore witnesses, CheckpointService checkpoints, LogIntegrityMonitor integrity, IOptions<LogWitnessesOptions> witnessOptions,
        CancellationToken ct)
    {
        var head = await log.GetHeadAsync(ct);
        var note = await checkpoints.GetNoteAsync(ct);
        var served = Checkpoint.TryParse(note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)], out var checkpoint) ? checkpoint.Size : (long?)null;
        var configured = witnessOptions.Value.List.Select(w => (Parsed: CosignatureVerifier.Parse(w.VerifierKey), w.Url)).ToArray();
        var status = configured.Length == 0 ? null : await witnesses.GetStatusAsync([.. configured.Select(w => w.Parsed.VerifierKey)], ct);
        var views = new List<WitnessStateView>();
        foreach (var (parsed, url) in configured)
        {
            views.Add(new WitnessStateView(parsed.Name, url, await witnesses.GetCosignedSizeAsync(parsed.VerifierKey, ct),
                status!.LastCosignedAt.TryGetValue(parsed.VerifierKey, out var at) ? at : null, status.CosignersOfNewest.Contains(parsed.VerifierKey)));
        }

        var pass = integrity.LastPass;
        return TypedResults.Ok(new LogStateView(head.Size, Convert.ToBase64String(head.Root), served, note, witnessOptions.Value.Quorum, [.. views],
            status?.NewestCheckpoint, pass is null ? null : new SelfAuditView(pass.CompletedAt, pass.Size, pass.Findings),
            integrity.NotReadyReason is null));
    }
}
