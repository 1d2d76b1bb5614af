using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// The authority: proof of control (challenges and one-time-code gateways), issuance of credentials and mapping
/// assertions through the log, revocation and the CRL, bulk import.
/// </summary>
internal static class AuthorityModule
{
    public static IHostApplicationBuilder AddAuthorityModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddModuleOptions<AuthorityOptions, AuthorityOptions.Annotations>(AuthorityOptions.Section).ValidatedBy<AuthorityOptions, AuthorityOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<AuthorityOptions>, DefaultIssuer>();
        builder.AddModuleOptions<ProofOfControlOptions, ProofOfControlOptions.Annotations>(ProofOfControlOptions.Section)
            .ValidatedBy<ProofOfControlOptions, ProofOfControlOptionsValidator>();
        builder.AddModuleOptions<ImportOptions, ImportOptions.Annotations>(ImportOptions.Section);

        services.AddSingleton(sp => sp.GetRequiredService<ServiceKeys>().Ca);
        services.AddSingleton(sp => sp.GetRequiredService<ServiceKeys>().AssertionKeys);
        services.AddSingleton(sp => new IndexProofs(sp.GetRequiredService<ServiceKeys>().VrfKeys, sp.GetRequiredService<CredentialStore>()));
        services.AddSingleton(sp => new MappingAssertionSigner(
            sp.GetRequiredService<IOptions<AuthorityOptions>>().Value.Issuer.TrimEnd('/'), sp.GetRequiredService<MappingAssertionKeyRing>()));

        services.AddSingleton<AuthorityMetrics>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<ChallengeService>();
        services.AddHttpClient<HttpGateway>().ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<DevelopmentLogGateway>();
        services.AddSingleton<IOneTimeCodeGateway>(sp => sp.GetRequiredService<IOptions<ProofOfControlOptions>>().Value.Gateway == GatewayKind.Http
            ? sp.GetRequiredService<HttpGateway>()
            : sp.GetRequiredService<DevelopmentLogGateway>());

        services.AddSingleton<CredentialStore>();
        services.AddSingleton<IssuanceService>();
        services.AddSingleton<CrlService>();
        services.AddSingleton<ImportProgressStore>();
        services.AddSingleton<ImportService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAuthorityModule(this IEndpointRouteBuilder app)
    {
        app.MapAuthorityApi();
        app.MapImportApi();
        app.MapIssuanceFeedApi();
        return app;
    }
}
