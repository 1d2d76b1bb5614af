using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Postgres;
using StackExchange.Redis;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// What every module stands on: the clock, request limits, storage and its migrations, the service's keys, the rate
/// limiter (Redis when configured, shared by replicas; in process otherwise), one error contract, OpenAPI and health.
/// </summary>
internal static class HostingModule
{
    public static IHostApplicationBuilder AddHostingModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        builder.AddModuleOptions<StorageOptions, StorageOptions.Annotations>(StorageOptions.Section).ValidatedBy<StorageOptions, StorageOptionsValidator>();
        builder.AddModuleOptions<RedisOptions, RedisOptions.Annotations>(RedisOptions.Section);
        builder.AddModuleOptions<RequestLimitOptions, RequestLimitOptions.Annotations>(RequestLimitOptions.Section);
        builder.AddModuleOptions<MetricsOptions, MetricsOptions.Annotations>(MetricsOptions.Section);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitOptions>>((k, l) =>
        {
            k.Limits.MaxRequestBodySize = l.Value.MaxRequestBodyBytes;
            RequestHeadLimits.ConfigureKestrel(k.Limits, l.Value);
            k.AddServerHeader = false;
        });
        services.AddOptions<FormOptions>().Configure<IOptions<RequestLimitOptions>>((f, l) =>
        {
            f.ValueLengthLimit = (int)Math.Min(l.Value.MaxRequestBodyBytes, int.MaxValue);
            f.ValueCountLimit = 64;
        });

        // Storage: one database over the configured dialect, migrated before anything else starts.
        services.AddSingleton<SqlDialect>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return o.Provider == StorageProvider.Postgres
                ? new PostgresDialect(o.ConnectionString!)
                : DataDirectoryStartup.OpenSqlite(o.DataDirectory);
        });
        services.AddSingleton<MimiDatabase>();
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton(sp => ServiceKeys.Load(
            sp.GetRequiredService<IOptions<AuthorityOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<IOptions<ClientAuthenticationOptions>>().Value,
            sp.GetRequiredService<IOptions<LogOptions>>().Value.Origin));

        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var redis = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!);
            redis.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(redis);
        });
        services.AddSingleton<KeyedRateLimiter>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            return o.Configuration is null
                ? new InProcessRateLimiter(null, sp.GetRequiredService<TimeProvider>())
                : new RedisRateLimiter(sp.GetRequiredService<IConnectionMultiplexer>(), new RedisRateLimiterOptions
                {
                    KeyPrefix = o.KeyPrefix + "rl:",
                    Timeout = o.Timeout,
                    FailureMode = o.FailOpen ? RedisFailureMode.FailOpen : RedisFailureMode.FailClosed,
                }, sp.GetRequiredService<ILogger<RedisRateLimiter>>());
        });

        // One error contract: RFC 9457 problems with our type URIs, binding failures named in the wire's terms.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            if (context.ProblemDetails.Type is null || context.ProblemDetails.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal)
                || context.ProblemDetails.Type.StartsWith("https://datatracker.ietf.org/", StringComparison.Ordinal))
            {
                context.ProblemDetails.Type = Problems.Type(Problems.KindForStatus(status));
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures reach ProblemExceptionHandler, which names the field in the wire's terms (BindingErrors).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        MediaTypes.RemoveRoutingPolicy(services);
        services.ConfigureHttpJsonOptions(o => ServerJson.ConfigureAnswers(o.SerializerOptions));
        services.AddOpenApi(OpenApiTransformers.Configure);
        return builder;
    }

    public static IEndpointRouteBuilder MapHostingModule(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealthApi();
        return app;
    }
}
