namespace Mimi.Discovery.Client;

/// <summary>An identifier's index (base64, 32 bytes) under one VRF key, its proof verified when it was learnt.</summary>
public sealed record WatchedIndex(string VrfKey, string IdentifierIndex);
