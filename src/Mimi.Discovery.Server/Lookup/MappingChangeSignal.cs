using System.Globalization;
using Microsoft.Extensions.Options;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Hosting;
using StackExchange.Redis;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// Tells the other replicas that the mappings changed, so a removal, revocation or discoverability change made on one
/// holds on all of them within a Redis message and one index query, not one <see cref="LookupOptions.IndexRefreshInterval"/>.
/// The message is the change sequence the writer's index has reached; a replica already there ignores it. Only with
/// Redis configured (scaled out): the embedded default is one process, where a writer's own catch-up is enough.
/// Best effort by design: a lost message (Redis down, a replica reconnecting) leaves the regular poll to apply the change.
/// </summary>
internal sealed partial class MappingChangeSignal(IOptions<RedisOptions> options, IServiceProvider services, ILogger<MappingChangeSignal> logger)
{
    private readonly RedisChannel _channel = RedisChannel.Literal(options.Value.KeyPrefix + "mapping-changes");

    // Resolved on first use: the connection exists only when Redis is configured.
    private readonly Lazy<ISubscriber?> _subscriber = new(() =>
        options.Value.Configuration is null ? null : services.GetRequiredService<IConnectionMultiplexer>().GetSubscriber());

    private ISubscriber? Subscriber => _subscriber.Value;

    /// <summary>
    /// Calls <paramref name="changed"/> with the sequence every time a replica announces a change. True once subscribed
    /// (or when there is nothing to subscribe to); false while Redis cannot take the subscription, to be tried again.
    /// </summary>
    public async Task<bool> SubscribeAsync(Action<long> changed)
    {
        if (Subscriber is not { } subscriber)
        {
            return true;
        }

        try
        {
            await subscriber.SubscribeAsync(_channel, (_, message) =>
            {
                if (long.TryParse(message.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
                {
                    changed(sequence);
                }
            });
            return true;
        }
        catch (RedisException e)
        {
            // Until Redis takes it, the poll carries every change. Once taken, the multiplexer renews it after reconnecting.
            RateLimitingMetrics.RedisError("subscribe");
            LogUnavailable(logger, e.GetType().Name);
            return false;
        }
    }

    /// <summary>Announces that this replica's index has reached <paramref name="sequence"/> after its own write.</summary>
    public async Task PublishAsync(long sequence)
    {
        if (Subscriber is not { } subscriber)
        {
            return;
        }

        try
        {
            await subscriber.PublishAsync(_channel, sequence.ToString(CultureInfo.InvariantCulture), CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            RateLimitingMetrics.RedisError("publish");
            LogUnavailable(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 1803, Level = LogLevel.Warning, Message = "Mapping changes cannot be announced through Redis ({Error}); other replicas apply them at their next index poll")]
    private static partial void LogUnavailable(ILogger logger, string error);
}
