using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Log;

/// <summary>Registers the log's checks of itself: the integrity monitor (a readiness contributor) and the self-audit.</summary>
internal static class LogIntegritySetup
{
    public static WebApplicationBuilder AddLogIntegrity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LogSelfAuditOptions>().Bind(builder.Configuration.GetSection(LogSelfAuditOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LogIntegrityMonitor>();
        builder.Services.AddSingleton<IReadinessContributor>(sp => sp.GetRequiredService<LogIntegrityMonitor>());
        builder.Services.AddSingleton<LogSelfAudit>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LogSelfAudit>());
        return builder;
    }
}
