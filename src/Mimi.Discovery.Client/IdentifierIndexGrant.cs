namespace Mimi.Discovery.Client;

/// <summary>An identifier's index under one VRF key, with the proof (base64) that lets the caller check it.</summary>
public sealed record IdentifierIndexGrant(string Identifier, string VrfKey, string Proof, string IdentifierIndex);
