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

if (which is "all" or "import")
{
    await ImportBenchmark.RunAsync(postgres);
}

if (which is "all" or "lookups")
{
    await LookupBenchmark.RunAsync(postgres, Environment.GetEnvironmentVariable("MIMI_BENCH_REDIS"), duration);
}

if (which is "all" or "oprf")
{
    OprfBenchmark.Run(duration);
}

if (which is "all" or "vrf")
{
    VrfBenchmark.Run(duration);
}

if (which is "all" or "monitor")
{
    await MonitorBenchmark.RunAsync(postgres);
}

if (which is "all" or "proofs")
{
    await ProofBenchmark.RunAsync(duration);
}

if (which is "all" or "tokens")
{
    await TokenBenchmark.RunAsync(duration);
}

if (which is "all" or "consent" or "resolve")
{
    var dns = Environment.GetEnvironmentVariable("MIMI_BENCH_DNS")
        ?? throw new InvalidOperationException("MIMI_BENCH_DNS is not set: run the consent and resolve figures through bench/run.sh, which starts dnsmasq.");
    if (which is "all" or "consent")
    {
        await ConsentBenchmark.RunAsync(dns, int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_ALPHA_PORT")!, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_BETA_PORT")!, System.Globalization.CultureInfo.InvariantCulture), duration);
    }

    if (which is "all" or "resolve")
    {
        await ResolveBenchmark.RunAsync(dns, int.Parse(Environment.GetEnvironmentVariable("MIMI_BENCH_RESOLVE_PROVIDERS")!, System.Globalization.CultureInfo.InvariantCulture), duration);
    }
}

if (which is "all" or "delivery")
{
    await DeliveryBenchmark.RunAsync(postgres, duration);
}
