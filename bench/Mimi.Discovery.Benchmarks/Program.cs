using Mimi.Discovery.Benchmarks;

// Figures are printed next to a baseline measured in the same run, as ratios: the machine is shared and noisy.
var which = args.Length > 0 ? args[0] : "all";
var postgres = Environment.GetEnvironmentVariable("MIMI_BENCH_POSTGRES");
var seconds = double.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_SECONDS") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(seconds);

if (which is "all" or "issuance")
{
    await IssuanceBenchmark.RunAsync(postgres, duration);
}

if (which is "all" or "lookups")
{
    await LookupBenchmark.RunAsync(postgres, Environment.GetEnvironmentVariable("MIMI_BENCH_REDIS"), duration);
}

if (which is "all" or "oprf")
{
    OprfBenchmark.Run(duration);
}

if (which is "all" or "proofs")
{
    await ProofBenchmark.RunAsync(duration);
}

if (which is "all" or "tokens")
{
    await TokenBenchmark.RunAsync(duration);
}

if (which is "all" or "delivery")
{
    await DeliveryBenchmark.RunAsync(postgres, duration);
}
