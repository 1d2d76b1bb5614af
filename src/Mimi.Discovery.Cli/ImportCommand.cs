using System.CommandLine;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi import FILE</c>: a trusted provider streams its verified mappings (NDJSON) to the bulk import endpoint.</summary>
internal static class ImportCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "NDJSON file: one {\"sii\", \"ssi\", \"publicKey\", \"tags\"} object per line." };
        var shown = new Option<int>("--show-errors") { Description = "How many rejected lines to print.", DefaultValueFactory = _ => 20 };
        var command = new Command("import", "Imports verified mappings in bulk (trusted providers): each good line is issued and logged; exit 1 if any line was rejected.")
            { file, shown };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"File '{path}' not found.");
            }

            var client = MimiCommand.Client(parse, timeout: Timeout.InfiniteTimeSpan);
            await client.GetAccessTokenAsync(ct); // fail on credentials before the progress bar starts
            ImportResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async progress =>
                {
                    await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                    var upload = progress.AddTask("sending " + Path.GetFileName(path), maxValue: Math.Max(1, input.Length));
                    await using var counted = new ProgressStream(input, sent => upload.Value = sent);
                    result = await client.ImportAsync(counted, ct);
                    upload.Value = upload.MaxValue;
                });

            Print(result!, parse.GetValue(shown));
            if (result!.Rejected > 0)
            {
                throw new CliException($"{result.Rejected} line(s) rejected; fix them and import those lines again.");
            }
        }));
        return command;
    }

    private static void Print(ImportResult result, int shown)
    {
        var range = result.FirstLogIndex is { } first ? $", log indices {first}–{result.LastLogIndex}" : "";
        AnsiConsole.MarkupLineInterpolated($"[green]imported[/] {result.Imported}, [yellow]rejected[/] {result.Rejected}{range}");
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
