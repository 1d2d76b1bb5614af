namespace Mimi.Discovery.Server.Hosting;

internal enum StorageProvider
{
    Sqlite,
    Postgres,
}
