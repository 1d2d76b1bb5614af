using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Purge;

/// <summary>The purge: what only serves a while is deleted once it can no longer matter. It has no endpoints.</summary>
internal static class PurgeModule
{
    public static IHostApplicationBuilder AddPurgeModule(this IHostApplicationBuilder builder)
    {
        builder.AddModuleOptions<PurgeOptions, PurgeOptions.Annotations>(PurgeOptions.Section).ValidatedBy<PurgeOptions, PurgeOptionsValidator>();
        builder.Services.AddSingleton<PurgeStore>();
        builder.Services.AddSingleton<PurgeWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PurgeWorker>());
        return builder;
    }
}
