using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// Who may call: enrolled providers and their keys, operators, hosted clients; client assertions at the token endpoint
/// and JwtBearer on every other call; the authorization policies every endpoint names.
/// </summary>
internal static class AuthenticationModule
{
    public static IHostApplicationBuilder AddAuthenticationModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<ClientAuthenticationOptions, ClientAuthenticationOptions.Annotations>(ClientAuthenticationOptions.Section)
            .ValidatedBy<ClientAuthenticationOptions, ClientAuthenticationOptionsValidator>();

        services.AddSingleton<ProviderStore>();
        services.AddSingleton<ClientAssertionStore>();
        services.AddSingleton<QuotaStore>();
        // Hosted clients authenticate like any other client, so the directory reads hosted users even without delivery.
        services.AddSingleton<HostedUserStore>();
        services.AddSingleton<IEnumerable<OperatorClient>>(OperatorClients);
        services.AddSingleton<ClientDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<ClientDirectory>());
        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<AccessTokens>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ServiceKeys, IOptions<AuthorityOptions>, IOptions<ClientAuthenticationOptions>>(
                (o, keys, authority, auth) => AccessTokens.ConfigureBearer(o, keys, authority.Value, auth.Value));
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Provider, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.ProviderRole))
            .AddPolicy(Policies.Operator, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.OperatorRole))
            .AddPolicy(Policies.ProviderOrOperator, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.ProviderRole, AccessTokens.OperatorRole))
            .AddPolicy(Policies.HostedClient, p => p.RequireAuthenticatedUser().RequireRole(AccessTokens.HostedClientRole))
            // Anything mapped without a statement of its own is refused rather than left open.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    public static IEndpointRouteBuilder MapAuthenticationModule(this IEndpointRouteBuilder app)
    {
        app.MapTokenEndpoint();
        app.MapProvidersApi();
        return app;
    }

    private static List<OperatorClient> OperatorClients(IServiceProvider sp)
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
}
