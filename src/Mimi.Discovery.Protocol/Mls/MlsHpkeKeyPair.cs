namespace Mimi.Discovery.Protocol;

/// <summary>An HPKE key pair of a cipher suite's KEM, serialized as RFC 9180 §7.1 does (SerializePublicKey / SerializePrivateKey).</summary>
public sealed record MlsHpkeKeyPair(byte[] PublicKey, byte[] PrivateKey);
