using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The delivery core, for the provider named by <c>Delivery:Domain</c>: hosted users and clients, KeyPackages, the hub
/// of rooms hosted here, the follower side of notify, inboxes and the MIMI directory document. Registered and mapped
/// only when that domain is set (<see cref="DeliveryOptions.IsConfigured"/>); otherwise none of it exists.
/// </summary>
internal static class DeliveryModule
{
    public static IHostApplicationBuilder AddDeliveryModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<DeliveryOptions, DeliveryOptions.Annotations>(DeliveryOptions.Section).ValidatedBy<DeliveryOptions, DeliveryOptionsValidator>()
            .PostConfigure(DeliveryOptions.Normalize);
        services.AddSingleton<KeyPackageStore>();
        services.AddSingleton<RoomStore>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<IQuarantineRelease, QuarantineRelease>();
        services.AddSingleton<InboxSignals>();
        services.AddSingleton<KeyPackages>();
        services.AddSingleton<WelcomeRouter>();
        services.AddSingleton<Hub>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<HubKeys>();
        services.AddSingleton<GroupInfos>();
        services.AddSingleton<Follower>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDeliveryModule(this IEndpointRouteBuilder app)
    {
        app.MapDirectoryDocumentApi();
        app.MapHostedUsersApi();
        app.MapMimiApi();
        app.MapClientDeliveryApi();
        return app;
    }
}
