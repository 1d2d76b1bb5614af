using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Server.Consent;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Server.Lookup.Private;
using Mimi.Discovery.Server.Providers;
using Mimi.Discovery.Server.Resolution;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Postgres;
using StackExchange.Redis;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>The composition root: options, storage, keys, authentication, and every capability's endpoints.</summary>
internal static class ServiceSetup
{
    public static WebApplicationBuilder AddMimiDiscovery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        AddValidatedOptions<StorageOptions, StorageOptionsValidator>(builder, StorageOptions.Section);
        AddValidatedOptions<AuthorityOptions, AuthorityOptionsValidator>(builder, AuthorityOptions.Section);
        services.AddSingleton<IPostConfigureOptions<AuthorityOptions>, DefaultIssuer>();
        AddValidatedOptions<ClientAuthenticationOptions, ClientAuthenticationOptionsValidator>(builder, ClientAuthenticationOptions.Section);
        AddValidatedOptions<ProofOfControlOptions, ProofOfControlOptionsValidator>(builder, ProofOfControlOptions.Section);
        services.AddOptions<LogOptions>().Bind(builder.Configuration.GetSection(LogOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LookupOptions>().Bind(builder.Configuration.GetSection(LookupOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RedisOptions>().Bind(builder.Configuration.GetSection(RedisOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RequestLimitOptions>().Bind(builder.Configuration.GetSection(RequestLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        AddValidatedOptions<DeliveryOptions, DeliveryOptionsValidator>(builder, DeliveryOptions.Section);
        AddValidatedOptions<ResolutionOptions, ResolutionOptionsValidator>(builder, ResolutionOptions.Section);
        AddValidatedOptions<ConsentOptions, ConsentOptionsValidator>(builder, ConsentOptions.Section);
        services.AddOptions<ImportOptions>().Bind(builder.Configuration.GetSection(ImportOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        AddValidatedOptions<PurgeOptions, PurgeOptionsValidator>(builder, PurgeOptions.Section);

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

        // Storage: one database object over the configured dialect.
        services.AddSingleton<SqlDialect>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return o.Provider == StorageProvider.Postgres
                ? new PostgresDialect(o.ConnectionString!)
                : DataDirectoryStartup.OpenSqlite(o.DataDirectory);
        });
        services.AddSingleton<MimiDatabase>();
        services.AddSingleton<ProviderStore>();
        services.AddSingleton<ClientAssertionStore>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<QuotaStore>();
        services.AddSingleton<HostedUserStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton(sp => new LogStore(sp.GetRequiredService<MimiDatabase>(), sp.GetRequiredService<IOptions<LogOptions>>().Value.TileCacheSize));
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<PurgeStore>();
        services.AddSingleton<PurgeWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<PurgeWorker>());

        services.AddSingleton(sp => ServiceKeys.Load(
            sp.GetRequiredService<IOptions<AuthorityOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<IOptions<ClientAuthenticationOptions>>().Value,
            sp.GetRequiredService<IOptions<LogOptions>>().Value.Origin));

        // Authority: CA, assertions, proof of control, issuance through the log.
        services.AddSingleton(sp => sp.GetRequiredService<ServiceKeys>().Ca);
        services.AddSingleton(sp => sp.GetRequiredService<ServiceKeys>().AssertionKeys);
        services.AddSingleton(sp => sp.GetRequiredService<ServiceKeys>().LogSigner);
        services.AddSingleton(sp => new MappingAssertionSigner(
            sp.GetRequiredService<IOptions<AuthorityOptions>>().Value.Issuer.TrimEnd('/'), sp.GetRequiredService<MappingAssertionKeyRing>()));
        services.AddSingleton<LogSequencer>();
        services.AddHostedService(sp => sp.GetRequiredService<LogSequencer>());
        services.AddSingleton<CheckpointService>();
        builder.AddLogIntegrity();
        services.AddSingleton<IssuanceService>();
        services.AddSingleton<CrlService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<ImportProgressStore>();
        services.AddSingleton<ChallengeService>();
        services.AddHttpClient<HttpGateway>().ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<DevelopmentLogGateway>();
        services.AddSingleton<IOneTimeCodeGateway>(sp => sp.GetRequiredService<IOptions<ProofOfControlOptions>>().Value.Gateway == GatewayKind.Http
            ? sp.GetRequiredService<HttpGateway>()
            : sp.GetRequiredService<DevelopmentLogGateway>());

        // Lookup: counters in Redis when configured (shared by replicas), in process otherwise.
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
        services.AddSingleton<AnsweredIdentifiers>();
        services.AddSingleton<MappingChangeSignal>();
        services.AddSingleton<MappingIndex>();
        services.AddHostedService(sp => sp.GetRequiredService<MappingIndex>());
        services.AddSingleton<LookupService>();
        services.AddPrivateLookup(builder.Configuration);

        // Resolution and peers: finding other providers, signing requests to them, the durable outbox.
        services.AddSingleton(sp => new Mimi.Discovery.Resolution.ProviderResolver(
            sp.GetRequiredService<IOptions<ResolutionOptions>>().Value.ToResolverOptions(), sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<Mimi.Discovery.Resolution.ProviderResolver>>()));
        services.AddSingleton<ProviderIdentity>();
        services.AddHttpClient(DiscoveryConnection.HttpClientName);
        services.AddSingleton<DiscoveryConnection>();
        services.AddSingleton<PeerKeys>();
        services.AddSingleton<PeerClient>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());

        // Consent: requests between users, the gate the delivery core consults, abuse reports.
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<AbuseReportStore>();
        services.AddSingleton<ConsentService>();
        services.AddSingleton<IConsentGate>(sp => sp.GetRequiredService<ConsentService>());

        // Delivery core: KeyPackages, the hub of rooms hosted here, the follower side of notify, inboxes.
        services.AddSingleton<KeyPackageStore>();
        services.AddSingleton<RoomStore>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<IQuarantineRelease, QuarantineRelease>();
        services.AddSingleton<InboxSignals>();
        services.AddSingleton<KeyPackages>();
        services.AddSingleton<WelcomeRouter>();
        services.AddSingleton<Hub>();
        services.AddSingleton<HubKeys>();
        services.AddSingleton<GroupInfos>();
        services.AddSingleton<Follower>();

        // Authentication: client assertions at the token endpoint, JwtBearer on every other call.
        services.AddSingleton<IEnumerable<OperatorClient>>(sp => OperatorClients(sp));
        services.AddSingleton<ClientDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<ClientDirectory>());
        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<AccessTokens>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, PeerAuthenticationHandler>(PeerAuthenticationHandler.SchemeName, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ServiceKeys, IOptions<AuthorityOptions>, IOptions<ClientAuthenticationOptions>>(
                (o, keys, authority, auth) => AccessTokens.ConfigureBearer(o, keys, authority.Value, auth.Value));
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Provider, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.ProviderRole))
            .AddPolicy(Policies.Operator, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.OperatorRole))
            .AddPolicy(Policies.ProviderOrOperator, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.ProviderRole, AccessTokens.OperatorRole))
            .AddPolicy(Policies.HostedClient, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.HostedClientRole))
            .AddPolicy(Policies.Peer, p => p.AddAuthenticationSchemes(PeerAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireRole(PeerAuthenticationHandler.Role))
            // Anything mapped without a statement of its own is refused rather than left open.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // One error contract.
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

    public static WebApplication UseMimiDiscovery(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RequestHeadLimits.RejectOversizedAsync);
        app.Use(RejectOversizedBodies);
        app.Use(MediaTypes.RejectUndeclaredAsync);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealthApi();
        app.MapTokenEndpoint();
        app.MapProvidersApi();
        app.MapAuthorityApi();
        app.MapImportApi();
        app.MapLogApi();
        app.MapLookupApi();
        app.MapPrivateLookupApi();
        app.MapDirectoryDocumentApi();
        app.MapHostedUsersApi();
        app.MapMimiApi();
        app.MapClientDeliveryApi();
        app.MapConsentMimiApi();
        app.MapConsentApi();
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

    private static IEnumerable<OperatorClient> OperatorClients(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<ClientAuthenticationOptions>>().Value;
        var list = new List<OperatorClient>();
        for (var i = 0; i < options.Operators.Count; i++)
        {
            var op = options.Operators[i];
            var json = op.Jwk ?? File.ReadAllText(op.JwkFile!);
            if (!ClientKey.TryParse(json, out var key, out var error))
            {
                throw new OptionsValidationException(ClientAuthenticationOptions.Section, typeof(ClientAuthenticationOptions),
                    [$"Authentication:Operators:{i}: {error}"]);
            }

            list.Add(new OperatorClient(op.ClientId, key!));
        }

        if (sp.GetRequiredService<ServiceKeys>().DevelopmentOperator is { } development)
        {
            list.Add(development);
        }

        return list;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(WebApplicationBuilder builder, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        builder.Services.AddOptions<TOptions>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}

/// <summary>Applies schema migrations before anything else starts, and says which development shortcuts are on.</summary>
internal sealed partial class DatabaseMigrator(
    MimiDatabase database, IOptions<ProofOfControlOptions> proof, IOptions<AuthorityOptions> authority, IOptions<StorageOptions> storage,
    ServiceKeys keys, IServiceProvider services, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Migrations.ApplyAsync(database, logger, cancellationToken);
        }
        catch (Exception e) when (DataDirectoryStartup.Describe(e, storage.Value.DataDirectory) is { } unusable)
        {
            throw unusable;
        }

        // Build the hot-path services now (the Redis connection among them), not under the first burst of requests.
        services.GetRequiredService<LookupService>();
        LogStarted(logger, database.Dialect.Name, keys.Directory);
        if (proof.Value.Gateway == GatewayKind.DevelopmentLog)
        {
            LogDevelopmentGateway(logger);
        }

        if (authority.Value.CreateDevelopmentKeys && keys.DevelopmentOperator is not null)
        {
            LogDevelopmentOperator(logger, ServiceKeys.DevelopmentOperatorId, Path.Combine(keys.Directory, ServiceKeys.OperatorKeyFile));
        }
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Storage {Database} ready; keys in {KeyDirectory}")]
    private static partial void LogStarted(ILogger logger, string database, string keyDirectory);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "ProofOfControl:Gateway is DevelopmentLog: one-time codes are written to this log. Use the Http gateway in production.")]
    private static partial void LogDevelopmentGateway(ILogger logger);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Development operator '{ClientId}' is enabled; its private key is {KeyFile}")]
    private static partial void LogDevelopmentOperator(ILogger logger, string clientId, string keyFile);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
