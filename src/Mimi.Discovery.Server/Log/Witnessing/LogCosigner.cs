using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log.Witnessing;

/// <summary>
/// Asks the configured witnesses to cosign the log's newest checkpoint (C2SP tlog-witness <c>add-checkpoint</c>), after
/// each commit (<see cref="Signal"/>) and on a timer: each request carries, as <c>old</c>, the size that witness last
/// cosigned (kept in storage) and the consistency proof from it; a 409 naming another size is followed once. Every
/// cosignature is verified before it is stored. A witness that fails is retried with a doubling back-off, logged as a
/// Warning once per outage and as Information when it is back. Issuance never waits for any of this.
/// </summary>
internal sealed partial class LogCosigner(
    LogStore log, WitnessStore store, NoteSigner signer, IOptions<LogOptions> logOptions, IOptions<LogWitnessesOptions> options,
    IHttpClientFactory http, LogMetrics metrics, TimeProvider time, ILogger<LogCosigner> logger) : BackgroundService
{
    public const string HttpClientName = "log-witnesses";

    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly List<WitnessState> _witnesses = options.Value.List
        .Select(w => new WitnessState(CosignatureVerifier.Parse(w.VerifierKey), new Uri(w.Url.TrimEnd('/') + "/add-checkpoint")))
        .ToList();

    private long _savedSize = -1;

    /// <summary>A commit happened: cosigning starts soon (signals coalesce; the caller never waits).</summary>
    public void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another commit signalled first; one round covers both.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Storage is down or the head unreadable: no witness is to blame; the next round tries again.
                LogRoundFailed(logger, StorageHealth.RetryLogLevel(e, LogLevel.Warning), e);
            }

            try
            {
                await _signal.WaitAsync(NextWait(), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends the newest checkpoint to every witness that is due and has not cosigned it yet.</summary>
    internal async Task RoundAsync(CancellationToken ct)
    {
        var head = await log.GetHeadAsync(ct);
        if (head.Size == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var due = _witnesses.Where(w => w.NextAttempt <= now && (w.CosignedSize is not { } cosigned || cosigned < head.Size)).ToList();
        if (due.Count == 0)
        {
            return;
        }

        var checkpoint = new Checkpoint(logOptions.Value.Origin, head.Size, head.Root);
        var note = SignedNote.Sign(checkpoint.Format(), signer);
        if (_savedSize != head.Size)
        {
            // Stored before any witness sees it, so every cosignature stored has its checkpoint beside it.
            await store.SaveCheckpointAsync(head.Size, note, ct);
            _savedSize = head.Size;
        }

        await Task.WhenAll(due.Select(w => CosignAsync(w, checkpoint, note, ct)));
    }

    private async Task CosignAsync(WitnessState witness, Checkpoint checkpoint, string note, CancellationToken ct)
    {
        string? problem;
        try
        {
            witness.CosignedSize ??= await store.GetCosignedSizeAsync(witness.Verifier.VerifierKey, ct) ?? 0;
            problem = await SendAsync(witness, witness.CosignedSize.Value, checkpoint, note, followConflict: true, ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            problem = e is TaskCanceledException ? $"no answer within {options.Value.Timeout.TotalSeconds:0.#} s" : e.Message;
        }

        if (problem is null)
        {
            if (witness.Failures > 0)
            {
                LogRecovered(logger, witness.Verifier.Name, checkpoint.Size, witness.Failures);
            }

            witness.Failures = 0;
            witness.NextAttempt = DateTimeOffset.MinValue;
            return;
        }

        if (witness.Failures++ == 0)
        {
            LogWitnessFailing(logger, witness.Verifier.Name, witness.Url, checkpoint.Size, problem);
        }

        var backoff = options.Value.MinRetryInterval * Math.Pow(2, Math.Min(witness.Failures - 1, 30));
        witness.NextAttempt = time.GetUtcNow() + (backoff < options.Value.MaxRetryInterval ? backoff : options.Value.MaxRetryInterval);
    }

    /// <summary>One <c>add-checkpoint</c> call; null when a valid cosignature was stored, else what went wrong.</summary>
    private async Task<string?> SendAsync(WitnessState witness, long oldSize, Checkpoint checkpoint, string note, bool followConflict, CancellationToken ct)
    {
        if (oldSize > checkpoint.Size)
        {
            // The witness holds a larger checkpoint (another replica's round got there first); ours is not the newest.
            return null;
        }

        var proof = oldSize == 0 ? [] : await MerkleTree.ConsistencyProofAsync(log, oldSize, checkpoint.Size, ct);
        var body = new AddCheckpointRequest(oldSize, proof, note).Format();
        using var client = http.CreateClient(HttpClientName);
        client.Timeout = options.Value.Timeout;
        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync(witness.Url, content, ct);
        var text = await ReadLimitedAsync(response, ct);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                var checkpointBody = checkpoint.Format();
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Cosignature.TryParse(line, out var cosignature) && witness.Verifier.Verify(checkpointBody, cosignature))
                    {
                        await store.SaveCosignatureAsync(witness.Verifier.VerifierKey, checkpoint.Size, cosignature.Format(), ct);
                        witness.CosignedSize = checkpoint.Size;
                        metrics.Cosigned(witness.Verifier.Name);
                        LogCosigned(logger, witness.Verifier.Name, checkpoint.Size);
                        return null;
                    }
                }

                return "it answered 200 without a valid cosignature by its key";
            case HttpStatusCode.Conflict when long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size):
                if (size == oldSize)
                {
                    // Same size, another root: the witness saw a different history at this size. Not retried blindly.
                    LogFork(logger, witness.Verifier.Name, checkpoint.Size, size);
                    return $"it holds another checkpoint of size {size} (409)";
                }

                witness.CosignedSize = size;
                return followConflict
                    ? await SendAsync(witness, size, checkpoint, note, followConflict: false, ct)
                    : $"it answered 409 twice (its size {size})";
            case HttpStatusCode.UnprocessableEntity:
                LogFork(logger, witness.Verifier.Name, checkpoint.Size, oldSize);
                return $"it refuses the consistency proof from {oldSize} to {checkpoint.Size} (422): {text.Trim()}";
            default:
                return $"it answered {(int)response.StatusCode}: {text.Trim()}";
        }
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        // A witness's answers are a few lines; more is not read.
        var buffer = new byte[16 * 1024];
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private TimeSpan NextWait()
    {
        var now = time.GetUtcNow();
        var wait = options.Value.Interval;
        foreach (var witness in _witnesses)
        {
            if (witness.Failures > 0 && witness.NextAttempt - now < wait)
            {
                wait = witness.NextAttempt - now;
            }
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>What the cosigner knows of one witness between rounds.</summary>
    private sealed class WitnessState(CosignatureVerifier verifier, Uri url)
    {
        public CosignatureVerifier Verifier { get; } = verifier;

        public Uri Url { get; } = url;

        /// <summary>The size it last cosigned, read from storage on first use.</summary>
        public long? CosignedSize { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset NextAttempt { get; set; } = DateTimeOffset.MinValue;
    }

    [LoggerMessage(EventId = 7440, Level = LogLevel.Warning,
        Message = "Witness {Witness} ({Url}) did not cosign the checkpoint of size {Size}: {Problem}; retried with back-off, issuance is not affected")]
    private static partial void LogWitnessFailing(ILogger logger, string witness, Uri url, long size, string problem);

    [LoggerMessage(EventId = 7441, Level = LogLevel.Information, Message = "Witness {Witness} is back: it cosigned the checkpoint of size {Size} after {Failures} failed attempts")]
    private static partial void LogRecovered(ILogger logger, string witness, long size, int failures);

    [LoggerMessage(EventId = 7442, Level = LogLevel.Debug, Message = "Witness {Witness} cosigned the checkpoint of size {Size}")]
    private static partial void LogCosigned(ILogger logger, string witness, long size);

    [LoggerMessage(EventId = 7443, Level = LogLevel.Error,
        Message = "Witness {Witness} refuses the checkpoint of size {Size} as inconsistent with the one of size {WitnessSize} it cosigned: it saw another history of this log")]
    private static partial void LogFork(ILogger logger, string witness, long size, long witnessSize);

    [LoggerMessage(EventId = 7444, Message = "A witness cosigning round failed; the next one runs after the retry interval")]
    private static partial void LogRoundFailed(ILogger logger, LogLevel level, Exception exception);
}
