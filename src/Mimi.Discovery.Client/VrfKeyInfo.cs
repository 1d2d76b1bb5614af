namespace Mimi.Discovery.Client;

/// <summary>One published VRF key: its key id and its SEC1 compressed public key (base64, 33 bytes).</summary>
public sealed record VrfKeyInfo(string Kid, string PublicKey);
