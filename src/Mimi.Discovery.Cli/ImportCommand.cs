using System.CommandLine;
using System.Security.Cryptography;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi import FILE</c>: a trusted provider streams its verified mappings (NDJSON) to the bulk import endpoint. Every
/// import is resumable: it carries a random import id, the service records in each batch's log transaction the last
/// line done, and the CLI polls that while it uploads. When the upload breaks (the service died), the CLI says what is
/// committed and how to resume; <c>--resume ID</c> asks the service where the import stands and sends the rest, and
/// the service skips any line it committed, so no line is logged twice even when the last batch's fate was unknown.
/// </summary>
internal static class ImportCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "NDJSON file: one {\"sii\", \"ssi\", \"publicKey\", \"tags\"} object per line." };
        var shown = new Option<int>("--show-errors") { Description = "How many rejected lines to print.", DefaultValueFactory = _ => 20 };
        var resume = new Option<string?>("--resume") { Description = "Resume the import with this id (printed when an import stops): lines it committed are not sent or logged again." };
        var command = new Command("import", "Imports verified mappings in bulk (trusted providers): each good line is issued and logged; exit 1 if any line was rejected or the import stopped.")
            { file, shown, resume };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"File '{path}' not found.");
            }

            var client = MimiCommand.Client(parse, timeout: Timeout.InfiniteTimeSpan);
            await client.GetAccessTokenAsync(ct); // fail on credentials before the progress bar starts
            var importId = parse.GetValue(resume);
            ImportProgress? before = null;
            if (importId is not null)
            {
                before = await client.GetImportProgressAsync(importId, ct);
                AnsiConsole.MarkupLineInterpolated($"resuming import {importId}: {Describe(before)}");
            }

            importId ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var tracker = new ProgressTracker(client, importId, before);
            ImportResult? result = null;
            try
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                    .StartAsync(async progress =>
                    {
                        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                        var firstLine = await SkipLinesAsync(input, before?.ThroughLine ?? 0, ct) + 1;
                        var upload = progress.AddTask("sending " + Path.GetFileName(path), maxValue: Math.Max(1, input.Length));
                        upload.Value = input.Position;
                        await using var counted = new ProgressStream(input, sent => upload.Value = sent);
                        using var polling = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        var poller = tracker.PollAsync(p => upload.Description = $"sending {Path.GetFileName(path)} (committed through line {p.ThroughLine})", polling.Token);
                        try
                        {
                            result = await client.ImportAsync(counted, importId, firstLine, ct);
                        }
                        finally
                        {
                            await polling.CancelAsync();
                            await poller;
                        }

                        upload.Value = upload.MaxValue;
                    });
            }
            catch (Exception e) when (e is HttpRequestException or IOException or MimiApiException { Status: >= 500 } && !ct.IsCancellationRequested)
            {
                // The connection broke (typically the service died) or the service gave up (storage outage): say what is
                // committed and how to go on.
                var known = await tracker.LastAsync(ct);
                throw new CliException($"the import stopped: {e.Message}\n{Describe(known)}\n"
                    + $"What happened to later lines is unknown here. Resume with: mimi import {path} --resume {importId} "
                    + "(the service skips every line of this import it committed, so none is logged twice).");
            }

            Print(result!, parse.GetValue(shown));
            if (before is not null)
            {
                var total = await client.GetImportProgressAsync(importId, ct);
                AnsiConsole.MarkupLineInterpolated($"import {importId} in all: {Describe(total)}");
            }

            if (result!.Rejected > 0)
            {
                throw new CliException($"{result.Rejected} line(s) rejected; fix them and import those lines again.");
            }
        }));
        return command;
    }

    private static string Describe(ImportProgress? progress) => progress is null
        ? "no line of this import is committed."
        : $"lines 1–{progress.ThroughLine} are committed: {progress.Imported} imported and logged"
          + (progress.FirstLogIndex is { } first ? $" (log entries {first}–{progress.LastLogIndex})" : "")
          + $", {progress.Rejected} rejected.";

    /// <summary>Positions <paramref name="input"/> after its first <paramref name="lines"/> lines (as the service counts them: by '\n'); returns how many it passed.</summary>
    private static async Task<long> SkipLinesAsync(FileStream input, long lines, CancellationToken ct)
    {
        if (lines == 0)
        {
            return 0;
        }

        var buffer = new byte[64 * 1024];
        long passed = 0;
        long position = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n' && ++passed == lines)
                {
                    input.Position = position + i + 1;
                    return passed;
                }
            }

            position += read;
        }

        // The file has no more lines than the import committed: nothing is left to send.
        return passed;
    }

    private static void Print(ImportResult result, int shown)
    {
        var range = result.FirstLogIndex is { } first ? $", log indices {first}–{result.LastLogIndex}" : "";
        var skipped = result.Skipped > 0 ? $", {result.Skipped} skipped as committed before" : "";
        AnsiConsole.MarkupLineInterpolated($"[green]imported[/] {result.Imported}, [yellow]rejected[/] {result.Rejected}{range}{skipped}");
        foreach (var error in result.Errors.Take(Math.Max(0, shown)))
        {
            AnsiConsole.MarkupLineInterpolated($"  line {error.Line}: {error.Field} {error.Code}: {error.Detail}");
        }

        var unlisted = result.Rejected - Math.Min(result.Errors.Length, Math.Max(0, shown));
        if (unlisted > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"  … and {unlisted} more rejected line(s)");
        }
    }

    /// <summary>Asks the service, while the upload runs, what this import has committed; keeps the last answer.</summary>
    private sealed class ProgressTracker(MimiDiscoveryClient client, string importId, ImportProgress? start)
    {
        private ImportProgress? _last = start;

        public async Task PollAsync(Action<ImportProgress> report, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(PollInterval, ct);
                    if (await client.GetImportProgressAsync(importId, ct) is { } progress)
                    {
                        _last = progress;
                        report(progress);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or MimiApiException)
                {
                    // The upload itself reports a dead service; a missed poll only leaves the last answer standing.
                }
            }
        }

        /// <summary>One more question (the service may still answer if only the upload broke), else the last answer.</summary>
        public async Task<ImportProgress?> LastAsync(CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                return await client.GetImportProgressAsync(importId, timeout.Token) ?? _last;
            }
            catch (Exception e) when (e is HttpRequestException or MimiApiException or OperationCanceledException)
            {
                return _last;
            }
        }
    }

    /// <summary>Reports how far the upload has read the file; seekable, so the request still declares its length.</summary>
    private sealed class ProgressStream(FileStream inner, Action<long> report) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => Reported(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Reported(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Reported(int read)
        {
            report(inner.Position);
            return read;
        }
    }
}
