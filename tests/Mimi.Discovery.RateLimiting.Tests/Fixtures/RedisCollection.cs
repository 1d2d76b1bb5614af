namespace Mimi.Discovery.RateLimiting.Tests.Fixtures;

/// <summary>One Redis for the test classes of this collection; xunit reads collection definitions only from the test assembly, so this stays here while the fixture lives in Mimi.Discovery.Testing.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
