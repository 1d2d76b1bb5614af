namespace Mimi.Discovery.Model;

/// <summary>Who may discover a mapping, as its owner (the recipient, through their provider) chose.</summary>
public enum Discoverability
{
    /// <summary>Every provider.</summary>
    Everyone = 0,
    /// <summary>Only users of the owner's own provider.</summary>
    SameProvider = 1,
    /// <summary>The owner's provider and the listed providers.</summary>
    ListedProviders = 2,
    /// <summary>Nobody: the mapping stays issued but is never returned.</summary>
    Nobody = 3,
}
