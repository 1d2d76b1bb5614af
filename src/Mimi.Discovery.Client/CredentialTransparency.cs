namespace Mimi.Discovery.Client;

/// <summary>
/// What travels beside a credential so that it proves its own log entry (docs/accountability.md §3): the VRF key id and
/// proof over its identifier, the identifier index (the proof's output), its log index, and the opening of its entry's
/// commitment (the opening and the committed value, base64).
/// </summary>
public sealed record CredentialTransparency(string VrfKey, string VrfProof, string IdentifierIndex, long LogIndex, string Opening, string Value);
