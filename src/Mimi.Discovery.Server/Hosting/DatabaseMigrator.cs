using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Hosting;

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

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Storage {Database} ready; keys in {KeyDirectory}")]
    private static partial void LogStarted(ILogger logger, string database, string keyDirectory);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "ProofOfControl:Gateway is DevelopmentLog: one-time codes are written to this log. Use the Http gateway in production.")]
    private static partial void LogDevelopmentGateway(ILogger logger);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Development operator '{ClientId}' is enabled; its private key is {KeyFile}")]
    private static partial void LogDevelopmentOperator(ILogger logger, string clientId, string keyFile);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
