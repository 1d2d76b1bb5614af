using System.Diagnostics;

namespace Mimi.Discovery.Benchmarks;

/// <summary>Rates and latencies measured with a warm-up, on a fixed number of workers, for a fixed time.</summary>
internal static class Measure
{
    /// <summary>Operations per second of <paramref name="operation"/> run by <paramref name="workers"/> concurrent loops.</summary>
    public static async Task<double> RateAsync(Func<int, Task> operation, int workers, TimeSpan duration, TimeSpan? warmup = null)
    {
        await RunAsync(operation, workers, warmup ?? TimeSpan.FromSeconds(1));
        return await RunAsync(operation, workers, duration);
    }

    /// <summary>Same, for synchronous work, on dedicated threads.</summary>
    public static double Rate(Action operation, int workers, TimeSpan duration)
    {
        Run(operation, workers, TimeSpan.FromMilliseconds(500));
        return Run(operation, workers, duration);
    }

    /// <summary>
    /// Runs <paramref name="round"/> until one compiles fewer than <paramref name="quiet"/> new methods, at most 60 s: on
    /// two cores a fixed warm-up left the background tier-1 compiler on a fifth of the CPU through the measurement.
    /// Says how long it took under MIMI_BENCH_VERBOSE.
    /// </summary>
    public static async Task UntilJitSettlesAsync(string what, Func<Task> round, int quiet)
    {
        var started = Stopwatch.GetTimestamp();
        long fresh;
        do
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await round();
            fresh = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled;
        }
        while (fresh >= quiet && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60));

        if (Environment.GetEnvironmentVariable("MIMI_BENCH_VERBOSE") is not null)
        {
            await Console.Error.WriteLineAsync($"{what}: warmed up for {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s ({fresh} methods compiled in the last round)");
        }
    }

    /// <summary>Median and 99th percentile of single calls, in microseconds.</summary>
    public static async Task<(double P50, double P99)> LatencyAsync(Func<int, Task> operation, int iterations)
    {
        for (var i = 0; i < Math.Min(1000, iterations); i++)
        {
            await operation(i);
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(i);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        Array.Sort(samples);
        return (samples[iterations / 2], samples[(int)(iterations * 0.99)]);
    }

    private static async Task<double> RunAsync(Func<int, Task> operation, int workers, TimeSpan duration)
    {
        long count = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var i = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await operation(w * 1_000_000 + i++);
                Interlocked.Increment(ref count);
            }
        })));
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static double Run(Action operation, int workers, TimeSpan duration)
    {
        long count = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            long local = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                operation();
                local++;
            }

            Interlocked.Add(ref count, local);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
