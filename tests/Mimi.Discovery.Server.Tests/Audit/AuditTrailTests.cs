using Microsoft.Data.Sqlite;
using Mimi.Discovery.Server.Tests.Fixtures;
using Npgsql;

namespace Mimi.Discovery.Server.Tests.Audit;

/// <summary>The audit trail on the embedded SQLite database.</summary>
public sealed class SqliteAuditTrailTests : AuditTrailContract
{
    protected override Task<string?> DatabaseAsync() => Task.FromResult<string?>(null);

    // A trigger is the database itself refusing the insert, as a full disk or a broken constraint would.
    protected override async Task RefuseAuditAsync(string action)
    {
        await using var connection = new SqliteConnection($"Data Source={Service.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TRIGGER refuse_{action.Replace('.', '_').Replace('-', '_')} BEFORE INSERT ON audit_events
            WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END
            """;
        await command.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }
}

/// <summary>The audit trail on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditTrailTests(PostgresServer server) : AuditTrailContract
{
    private string? _database;

    protected override async Task<string?> DatabaseAsync() => _database = await server.CreateDatabaseAsync();

    protected override async Task RefuseAuditAsync(string action)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var name = "refuse_" + action.Replace('.', '_').Replace('-', '_');
        command.CommandText = $"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$;
            CREATE TRIGGER {name} BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.action = '{action}') EXECUTE FUNCTION {name}();
            """;
        await command.ExecuteNonQueryAsync();
    }
}
