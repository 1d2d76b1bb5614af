using System.Diagnostics;
using Npgsql;

namespace Mimi.Discovery.Testing;

/// <summary>
/// A real PostgreSQL for the whole test run: taken from MIMI_TEST_POSTGRES when set, otherwise a fresh cluster
/// started from Debian's binaries on a free loopback port (as the postgres user, since initdb refuses root).
/// Each test class asks for its own database, so tests never see each other's rows.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private string? _dataDirectory;
    private string _serverOptions = "";

    public string AdminConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("MIMI_TEST_POSTGRES") is { Length: > 0 } given)
        {
            AdminConnectionString = given;
            return;
        }

        if (!File.Exists(Path.Combine(BinDirectory, "pg_ctl")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}). Run ./test.sh, which installs it, or set MIMI_TEST_POSTGRES.");
        }

        var port = LoopbackPorts.FreeTcpPort();
        _dataDirectory = Path.Combine(Path.GetTempPath(), "mimi-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dataDirectory);
        var password = Guid.NewGuid().ToString("N");
        var passwordFile = Path.Combine(_dataDirectory, "pw");
        await File.WriteAllTextAsync(passwordFile, password);
        if (IsRoot)
        {
            await RunAsync("chown", $"-R postgres:postgres {_dataDirectory}");
        }

        await RunAsync("chmod", $"700 {_dataDirectory}");
        var cluster = Path.Combine(_dataDirectory, "db");
        await PgAsync($"initdb -D {cluster} -U app --pwfile={passwordFile} --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --no-sync");
        _serverOptions = $"-c listen_addresses=127.0.0.1 -p {port} -k {_dataDirectory} -c fsync=off -c max_connections=300";
        await StartAsync();
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=app;Password={password};Database=postgres;Pooling=false";
    }

    /// <summary>Creates an empty database for one test class and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ToString();
    }

    /// <summary>Stops the server (a database outage in the middle of a test).</summary>
    public Task StopAsync() => PgAsync($"pg_ctl -D {Cluster} -m fast -w stop");

    /// <summary>Starts it again on the same port.</summary>
    public Task StartAsync() => PgAsync($"pg_ctl -D {Cluster} -l {_dataDirectory}/log -w -o \"{_serverOptions}\" start");

    private string Cluster => Path.Combine(_dataDirectory ?? throw new InvalidOperationException("An external server cannot be stopped."), "db");

    public async Task DisposeAsync()
    {
        if (_dataDirectory is not null)
        {
            await PgAsync($"pg_ctl -D {Path.Combine(_dataDirectory, "db")} -m immediate -w stop");
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    // initdb refuses to run as root: as root, run the server binaries as the postgres user.
    private static bool IsRoot => Environment.UserName == "root";

    private static Task PgAsync(string command) =>
        IsRoot ? RunAsync("runuser", $"-u postgres -- {BinDirectory}/{command}") : RunAsync("sh", $"-c \"{BinDirectory}/{command.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
    }
}
