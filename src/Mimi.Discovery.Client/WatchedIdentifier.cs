namespace Mimi.Discovery.Client;

/// <summary>An identifier a monitor watches: its index under each VRF key, and the log size up to which it was scanned.</summary>
public sealed record WatchedIdentifier(string Identifier, WatchedIndex[] Indexes, long ScannedTo);
