using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Lookup.Private;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// Lookups: the in-memory mapping index every replica keeps current (and the Redis signal that tells the others),
/// plain lookups with requester and owner limits, and private lookups (OPRF evaluation and encrypted buckets).
/// </summary>
internal static class LookupModule
{
    public static IHostApplicationBuilder AddLookupModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<LookupOptions, LookupOptions.Annotations>(LookupOptions.Section);
        services.AddSingleton<AnsweredIdentifiers>();
        services.AddSingleton<MappingChangeSignal>();
        services.AddSingleton<MappingIndex>();
        services.AddHostedService<MappingIndexRefresher>();
        services.AddSingleton<LookupService>();
        services.AddSingleton<LookupMetrics>();

        // Private lookup's services stay registered when it is off: issuance asks its rebuilder for a pass, which then
        // does nothing (no OPRF record per mapping). Only its endpoints depend on PrivateLookup:Enabled.
        builder.AddModuleOptions<PrivateLookupOptions, PrivateLookupOptions.Annotations>(PrivateLookupOptions.Section);
        services.AddSingleton(sp => PrivateLookupKeys.Load(sp.GetRequiredService<ServiceKeys>().Directory,
            sp.GetRequiredService<IOptions<AuthorityOptions>>().Value.CreateDevelopmentKeys));
        services.AddSingleton<PrivateRecordStore>();
        services.AddSingleton<PrivateRecordBuilder>();
        services.AddSingleton<PrivateRecordRebuilder>();
        services.AddHostedService(sp => sp.GetRequiredService<PrivateRecordRebuilder>());
        return builder;
    }

    public static IEndpointRouteBuilder MapLookupModule(this IEndpointRouteBuilder app)
    {
        app.MapLookupApi();
        app.MapOwnerQuotasApi();
        if (app.ServiceProvider.GetRequiredService<IOptions<PrivateLookupOptions>>().Value.Enabled)
        {
            app.MapPrivateLookupApi();
        }

        return app;
    }
}
