using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Audit;

/// <summary>
/// The audit trail: every administrative act is recorded by the store that makes it, in the act's own transaction
/// (<see cref="AuditStore.AppendAsync"/>, with <see cref="AuditActors.From"/> as the actor); this module reads it.
/// </summary>
internal static class AuditModule
{
    public static IHostApplicationBuilder AddAuditModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAuditModule(this IEndpointRouteBuilder app)
    {
        app.MapAuditApi();
        return app;
    }
}
