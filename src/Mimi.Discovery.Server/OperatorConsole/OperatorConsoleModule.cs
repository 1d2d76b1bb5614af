using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// The operator console: its web assets under <c>/console/</c>, one-time sign-in links, cookie sessions (scheme
/// <see cref="ConsoleSessionHandler.SchemeName"/>) accepted wherever the operator is, with an anti-forgery token on
/// every changing request; and the lookup traffic history its chart and <c>mimi traffic</c> read. With
/// <c>Console:Enabled</c> false only the traffic history remains.
/// </summary>
internal static class OperatorConsoleModule
{
    public static IHostApplicationBuilder AddOperatorConsoleModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<OperatorConsoleOptions, OperatorConsoleOptions.Annotations>(OperatorConsoleOptions.Section)
            .ValidatedBy<OperatorConsoleOptions, OperatorConsoleOptionsValidator>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ConsoleJson.Default));
        services.AddSingleton<LookupTraffic>();
        services.AddHostedService(sp => sp.GetRequiredService<LookupTraffic>());
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        services.AddSingleton<ConsoleStore>();
        services.AddSingleton<ConsoleSessions>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ConsoleSessionHandler>(ConsoleSessionHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ConsoleSession, p => p.AddAuthenticationSchemes(ConsoleSessionHandler.SchemeName).RequireAuthenticatedUser()
                .RequireRole(AccessTokens.OperatorRole))
            .AddPolicy(Policies.OperatorBearer, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser()
                .RequireRole(AccessTokens.OperatorRole));
        // Every operator endpoint serves the console unchanged: its policies accept the session as well as a bearer token.
        // So does the fallback policy, so that the console meets an unmapped route (the delivery pages' APIs on a service
        // without delivery) as a bearer caller does, with a 404, not a 401 that would read as "signed out".
        services.PostConfigure<AuthorizationOptions>(o =>
        {
            if (o.FallbackPolicy is { } fallback)
            {
                o.FallbackPolicy = new AuthorizationPolicyBuilder(fallback)
                    .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, ConsoleSessionHandler.SchemeName).Build();
            }

            foreach (var name in new[] { Policies.Operator, Policies.ProviderOrOperator })
            {
                if (o.GetPolicy(name) is { } policy)
                {
                    o.AddPolicy(name, new AuthorizationPolicyBuilder(policy)
                        .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, ConsoleSessionHandler.SchemeName).Build());
                }
            }
        });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ConsoleAntiforgeryGate>();

        var secure = !builder.Environment.IsDevelopment();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = ConsoleSessions.AntiforgeryHeader;
            o.Cookie = new ConsoleCookieBuilder(secure)
            {
                Name = secure ? "__Host-mimi-console-af" : "mimi-console-af",
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                SecurePolicy = CookieSecurePolicy.SameAsRequest,
                IsEssential = true,
            };
            // The console's pages forbid framing by their Content-Security-Policy; the API's JSON needs no header.
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddDataProtection().SetApplicationName("Mimi.Discovery");
        services.AddOptions<KeyManagementOptions>().Configure<ServiceKeys>((o, keys) =>
            o.XmlRepository = new OwnerOnlyXmlRepository(Path.Combine(keys.Directory, OwnerOnlyXmlRepository.FolderName)));
        // Its keys are protected as every key of the key directory is (owner-only files), not encrypted at rest; the
        // framework's warning saying so on each new key would be noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        return builder;
    }

    public static IEndpointRouteBuilder MapOperatorConsoleModule(this IEndpointRouteBuilder app)
    {
        app.MapLookupTrafficApi();
        if (IsEnabled(app.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            app.MapConsoleApi();
            app.MapConsoleAssets();
        }

        return app;
    }

    /// <summary>Whether the console exists (<c>Console:Enabled</c>, true unless set false), decided once at start-up.</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue($"{OperatorConsoleOptions.Section}:{nameof(OperatorConsoleOptions.Enabled)}", true);
}
