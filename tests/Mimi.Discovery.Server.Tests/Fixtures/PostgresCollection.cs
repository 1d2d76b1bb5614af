namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>One PostgreSQL for the test classes of this collection; xunit reads collection definitions only from the test assembly, so this stays here while the fixture lives in Mimi.Discovery.Testing.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
