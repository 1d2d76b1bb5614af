using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mimi.Discovery.Server.Telemetry;

/// <summary>
/// Metrics and traces through OpenTelemetry: every meter and activity source named <c>Mimi.Discovery.*</c> (each module's
/// instruments, the storage and limiter spans), ASP.NET Core, HttpClient, the runtime, Npgsql and StackExchange.Redis.
/// Metrics are served for Prometheus on the management address (or the main port, or nowhere: <see cref="MetricsExposure"/>)
/// and pushed with traces over OTLP when <c>Telemetry:Otlp:Endpoint</c> is set. What is served and exported nowhere is
/// not registered: without an OTLP endpoint no tracer provider exists, and every <c>StartActivity</c> returns null.
/// </summary>
internal static class TelemetryModule
{
    /// <summary>The meters and activity sources of this product, by wildcard: a module's new instruments need no wiring here.</summary>
    public const string Sources = "Mimi.Discovery.*";

    public static IHostApplicationBuilder AddTelemetryModule(this IHostApplicationBuilder builder)
    {
        builder.AddModuleOptions<TelemetryOptions, TelemetryOptions.Annotations>(TelemetryOptions.Section)
            .ValidatedBy<TelemetryOptions, TelemetryOptionsValidator>();
        var options = TelemetryOptions.Read(builder.Configuration);
        var redis = !string.IsNullOrEmpty(builder.Configuration[RedisOptions.Section + ":" + nameof(RedisOptions.Configuration)]);
        var otlp = !string.IsNullOrEmpty(options.Otlp.Endpoint);
        var scraped = options.Metrics.Exposure != MetricsExposure.Off;
        var services = builder.Services;

        // What a trace holds is registered whether or not one is recorded here, so that a tracer provider added later
        // (a test's in-memory exporter) records the same spans as the OTLP one.
        services.ConfigureOpenTelemetryTracerProvider(tracing => ConfigureTracing(tracing, options, redis));
        if (!otlp && !scraped)
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry();
        telemetry.WithMetrics(metrics =>
        {
            metrics.ConfigureResource(r => r.AddService(options.ServiceName))
                .AddMeter(Sources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation();
            if (scraped)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp && options.Otlp.ExportMetrics)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = options.Otlp.SignalEndpoint("/v1/metrics");
                    exporter.Protocol = options.Otlp.Protocol;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.Otlp.MetricsInterval.TotalMilliseconds;
                });
            }
        });

        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = options.Otlp.SignalEndpoint("/v1/traces");
                exporter.Protocol = options.Otlp.Protocol;
            }));
        }

        if (options.Metrics.Exposure == MetricsExposure.Management)
        {
            services.AddSingleton<ManagementServer>();
            services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapTelemetryModule(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value.Metrics.Exposure == MetricsExposure.Main)
        {
            // The operator chose the main port: a scraper carries no token, so the route is open to whoever reaches it.
            app.MapPrometheusScrapingEndpoint(ManagementServer.MetricsPath).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static void ConfigureTracing(TracerProviderBuilder tracing, TelemetryOptions options, bool redis)
    {
        tracing.ConfigureResource(r => r.AddService(options.ServiceName))
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.Otlp.SampleRatio)))
            .AddSource(Sources)
            // Probes and scrapes every few seconds would bury the requests worth reading.
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsRoutine(context.Request.Path))
            .AddHttpClientInstrumentation()
            .AddNpgsql();
        if (redis)
        {
            // The instrumentation turns StackExchange.Redis's profiled commands into spans on a poll: every second at
            // most, so a trace is complete at the collector soon after its request.
            tracing.AddRedisInstrumentation(o => o.FlushInterval = TimeSpan.FromSeconds(1));
        }
    }

    private static bool IsRoutine(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(ManagementServer.MetricsPath);
}
