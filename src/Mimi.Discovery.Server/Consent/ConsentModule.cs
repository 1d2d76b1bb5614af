using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Consent;

/// <summary>
/// Consent between users before first contact: requests, answers, blocks and abuse reports, from hosted clients and
/// from peers over MIMI, and the gate the delivery core consults. Registered only with the delivery core.
/// </summary>
internal static class ConsentModule
{
    public static IHostApplicationBuilder AddConsentModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<ConsentOptions, ConsentOptions.Annotations>(ConsentOptions.Section).ValidatedBy<ConsentOptions, ConsentOptionsValidator>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<AbuseReportStore>();
        services.AddSingleton<ConsentService>();
        services.AddSingleton<ConsentMetrics>();
        services.AddSingleton<IConsentGate>(sp => sp.GetRequiredService<ConsentService>());
        return builder;
    }

    public static IEndpointRouteBuilder MapConsentModule(this IEndpointRouteBuilder app)
    {
        app.MapConsentMimiApi();
        app.MapConsentApi();
        return app;
    }
}
