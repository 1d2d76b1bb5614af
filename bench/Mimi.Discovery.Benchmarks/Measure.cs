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
