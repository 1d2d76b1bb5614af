using System.Diagnostics;

namespace Mimi.Discovery.Storage;

/// <summary>
/// The spans of storage: one per read or write transaction through <see cref="MimiDatabase"/>, on both dialects (the
/// PostgreSQL driver's own spans, when enabled, are its children; SQLite has none of its own), within the trace of the
/// request or the work that runs it. Background polls outside any trace (the index refresher's, twice a second) start
/// none, and nothing is allocated while nobody listens.
/// </summary>
internal static class StorageTracing
{
    public const string SourceName = "Mimi.Discovery.Storage";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of one read or write, named after the store method that runs it (<c>MappingStore.FindAsync</c>).</summary>
    internal static Activity? Start(string kind, SqlDialect dialect, string member, string file)
    {
        if (Activity.Current is null || !Source.HasListeners())
        {
            return null;
        }

        var caller = Path.GetFileNameWithoutExtension(file);
        var activity = Source.StartActivity(caller.Length == 0 ? member : caller + "." + member, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", dialect.Name == "postgres" ? "postgresql" : dialect.Name);
            activity.SetTag("mimi.storage.transaction", kind);
        }

        return activity;
    }

    /// <summary>Marks the span of an operation that failed with <paramref name="kind"/>.</summary>
    internal static void Failed(Activity? activity, StorageErrorKind kind)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, kind.ToString());
            activity.SetTag("error.type", kind.ToString());
        }
    }
}
