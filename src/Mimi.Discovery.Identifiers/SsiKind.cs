namespace Mimi.Discovery.Identifiers;

/// <summary>The kinds of service-specific identifier, after the first path segment of a <c>mimi://</c> URI.</summary>
public enum SsiKind
{
    /// <summary>A provider, <c>mimi://a.example</c> (no path).</summary>
    Provider = 1,

    /// <summary>A user, <c>mimi://a.example/u/alice</c>.</summary>
    User = 2,

    /// <summary>A client (device), <c>mimi://a.example/d/ClientA1</c>.</summary>
    Client = 3,

    /// <summary>A room, <c>mimi://a.example/r/clubhouse</c>.</summary>
    Room = 4,
}
