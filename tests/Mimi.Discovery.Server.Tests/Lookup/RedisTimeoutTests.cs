using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Tests.Lookup;

/// <summary>How long a lookup waits for the Redis counters is a setting, not a constant.</summary>
public sealed class RedisTimeoutTests
{
    [Fact]
    public async Task Regression_the_redis_timeout_comes_from_configuration()
    {
        var redis = await RedisServer.StartLocalAsync();
        try
        {
            using var service = new ServiceFactory(settings: new Dictionary<string, string?>
            {
                ["Redis:Configuration"] = redis.EndPoint,
                ["Redis:Timeout"] = "00:00:02",
            });
            var (client, _) = await service.EnrolAsync("alpha.test");
            await client.LookupAsync(["tel:+15553000001"]);

            await redis.PauseAsync();
            var waited = Stopwatch.StartNew();
            MimiApiException refused;
            try
            {
                refused = await Assert.ThrowsAsync<MimiApiException>(() => client.LookupAsync(["tel:+15553000002"]));
            }
            finally
            {
                await redis.ResumeAsync();
            }

            // The configured 2 s, not the 250 ms that used to be fixed in code.
            Assert.Equal(503, refused.Status);
            Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(15));
            Assert.Equal("none", (await Loopback.EventuallyAsync(() => client.LookupAsync(["tel:+15553000003"]))).Results[0].Status);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("00:00:00.001", false)]
    [InlineData("00:00:00.010", true)]
    [InlineData("00:00:01", true)]
    [InlineData("00:01:00", false)]
    public void The_redis_timeout_is_validated(string value, bool valid)
    {
        var options = new RedisOptions { Timeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Equal(TimeSpan.FromSeconds(1), new RedisOptions().Timeout);
    }
}
