namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Builds the service as <c>Program</c> does, with settings given in code: for hosting several instances in one
/// process (<c>mimi demo</c> runs a discovery service and two providers side by side).
/// </summary>
public static class MimiDiscoveryHost
{
    /// <summary>Builds an instance that listens on <paramref name="url"/>, configured by <paramref name="settings"/> (configuration keys, e.g. <c>Delivery:Domain</c>).</summary>
    public static WebApplication Build(string url, IReadOnlyDictionary<string, string?> settings, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(url);
        logging?.Invoke(builder.Logging);
        builder.AddMimiDiscovery();
        var app = builder.Build();
        app.UseMimiDiscovery();
        return app;
    }
}
