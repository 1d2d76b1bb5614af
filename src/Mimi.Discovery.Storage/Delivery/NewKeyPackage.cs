namespace Mimi.Discovery.Storage;

/// <summary>A validated KeyPackage to store: its KeyPackageRef (hex), owner client, cipher suite, MLSMessage bytes, last-resort flag and expiry.</summary>
public sealed record NewKeyPackage(string Ref, string ClientUri, ushort CipherSuite, byte[] Data, bool LastResort, DateTimeOffset NotAfter);
