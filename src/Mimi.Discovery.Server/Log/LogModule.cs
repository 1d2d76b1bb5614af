using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Log.Openings;
using Mimi.Discovery.Server.Log.Witnessing;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// The public log: the sequencer that appends issuances, signed checkpoints, tiles and proofs, and the log's checks of
/// itself (the integrity monitor, a readiness contributor, and the self-audit), and what monitoring providers ask of
/// it: their identifiers' indexes and the openings of entries about them.
/// </summary>
internal static class LogModule
{
    public static IHostApplicationBuilder AddLogModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<LogOptions, LogOptions.Annotations>(LogOptions.Section);
        builder.AddModuleOptions<LogSelfAuditOptions, LogSelfAuditOptions.Annotations>(LogSelfAuditOptions.Section);

        services.AddSingleton(sp => new LogStore(sp.GetRequiredService<MimiDatabase>(), sp.GetRequiredService<IOptions<LogOptions>>().Value.TileCacheSize));
        services.AddSingleton(sp => sp.GetRequiredService<ServiceKeys>().LogSigner);
        services.AddSingleton<LogSequencer>();
        services.AddHostedService(sp => sp.GetRequiredService<LogSequencer>());
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<LogMetrics>();
        services.AddSingleton<LogStateSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<LogStateSampler>());
        services.AddSingleton<Openings.EntryAccess>();
        builder.AddLogWitnessing();

        services.AddSingleton<LogIntegrityMonitor>();
        services.AddSingleton<IReadinessContributor>(sp => sp.GetRequiredService<LogIntegrityMonitor>());
        services.AddSingleton<LogSelfAudit>();
        services.AddHostedService(sp => sp.GetRequiredService<LogSelfAudit>());
        return builder;
    }

    public static IEndpointRouteBuilder MapLogModule(this IEndpointRouteBuilder app) => app.MapLogApi().MapOpeningsApi().MapLogStateApi();
}
