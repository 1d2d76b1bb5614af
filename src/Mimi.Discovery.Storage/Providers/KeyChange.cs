namespace Mimi.Discovery.Storage;

/// <summary>Outcome of a change to a provider's keys.</summary>
public enum KeyChange
{
    /// <summary>Applied.</summary>
    Done,
    /// <summary>No such provider (or key).</summary>
    NotFound,
    /// <summary>A key with that id exists already.</summary>
    Duplicate,
}
