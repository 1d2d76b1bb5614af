using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Log.Witnessing;

/// <summary>
/// Registers witnessing (<c>Log:Witnesses</c>): the options and the store always (the checkpoint endpoint reads them),
/// the cosigner and its HTTP client only when witnesses are listed.
/// </summary>
internal static class LogWitnessing
{
    public static IHostApplicationBuilder AddLogWitnessing(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<LogWitnessesOptions, LogWitnessesOptions.Annotations>(LogWitnessesOptions.Section)
            .ValidatedBy<LogWitnessesOptions, LogWitnessesOptionsValidator>();
        services.AddSingleton(sp => new WitnessStore(sp.GetRequiredService<MimiDatabase>()));
        if (!builder.Configuration.GetSection(LogWitnessesOptions.Section + ":List").GetChildren().Any())
        {
            return builder;
        }

        services.AddHttpClient(LogCosigner.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<LogCosigner>();
        services.AddHostedService(sp => sp.GetRequiredService<LogCosigner>());
        return builder;
    }
}
