using Microsoft.Extensions.Options;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// Other providers: finding them (SRV and their directory documents), this provider's identity toward them, signed
/// requests through the durable outbox, and their signing keys as the discovery service vouches for them (the
/// <c>Mimi-Peer</c> authentication scheme). Registered only with the delivery core.
/// </summary>
internal static class PeersModule
{
    public static IHostApplicationBuilder AddPeersModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<ResolutionOptions>(ResolutionOptions.Section).ValidatedBy<ResolutionOptions, ResolutionOptionsValidator>();
        services.AddSingleton(sp => new ProviderResolver(
            sp.GetRequiredService<IOptions<ResolutionOptions>>().Value.ToResolverOptions(), sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<ProviderResolver>>()));
        services.AddSingleton<ProviderIdentity>();
        services.AddHttpClient(DiscoveryConnection.HttpClientName);
        services.AddSingleton<DiscoveryConnection>();
        services.AddSingleton<PeerKeys>();
        services.AddSingleton<PeerClient>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<PeersMetrics>();
        services.AddHostedService<OutboxStateSampler>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());

        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, PeerAuthenticationHandler>(PeerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Peer, p => p.AddAuthenticationSchemes(PeerAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireRole(PeerAuthenticationHandler.Role));
        return builder;
    }

    public static IEndpointRouteBuilder MapPeersModule(this IEndpointRouteBuilder app) => app.MapOutboxApi();
}
