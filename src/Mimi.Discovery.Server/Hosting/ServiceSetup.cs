using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Audit;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Consent;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Server.OperatorConsole;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Server.Purge;
using Mimi.Discovery.Server.Telemetry;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// The composition root: the request pipeline and one call per capability module. Each module binds and validates
/// its own options, registers its services and maps its endpoints; the delivery core, and the consent and peer
/// modules it needs, exist only when <c>Delivery:Domain</c> is set.
/// </summary>
internal static class ServiceSetup
{
    public static WebApplicationBuilder AddMimiDiscovery(this WebApplicationBuilder builder)
    {
        builder.AddHostingModule();
        builder.AddTelemetryModule();
        builder.AddAuthenticationModule();
        builder.AddAuditModule();
        builder.AddAuthorityModule();
        builder.AddLogModule();
        builder.AddLookupModule();
        builder.AddPurgeModule();
        builder.AddOperatorConsoleModule();
        if (DeliveryOptions.IsConfigured(builder.Configuration))
        {
            builder.AddPeersModule();
            builder.AddConsentModule();
            builder.AddDeliveryModule();
        }

        return builder;
    }

    public static WebApplication UseMimiDiscovery(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RequestHeadLimits.RejectOversizedAsync);
        app.Use(RejectOversizedBodies);
        app.Use(MediaTypes.RejectUndeclaredAsync);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHostingModule();
        app.MapTelemetryModule();
        app.MapAuthenticationModule();
        app.MapAuditModule();
        app.MapAuthorityModule();
        app.MapLogModule();
        app.MapLookupModule();
        app.MapOperatorConsoleModule();
        if (DeliveryOptions.IsConfigured(app.Configuration))
        {
            app.MapPeersModule();
            app.MapConsentModule();
            app.MapDeliveryModule();
        }

        return app;
    }

    /// <summary>
    /// Refuses a declared body over the limit before anything reads it. Kestrel also enforces the limit on bodies
    /// without a length; this check makes the answer the same problem on every server.
    /// </summary>
    private static Task RejectOversizedBodies(HttpContext context, RequestDelegate next)
    {
        // An endpoint that states its own limit (bulk import) is held to that one instead.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                    ?? context.RequestServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException($"The request body is {context.Request.ContentLength} bytes; the limit is {limit}.", StatusCodes.Status413PayloadTooLarge);
        }

        return next(context);
    }
}
