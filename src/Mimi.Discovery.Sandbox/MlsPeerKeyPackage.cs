namespace Mimi.Discovery.Sandbox;

/// <summary>A KeyPackage made by the peer: the MLSMessage (mls_key_package) and its KeyPackageRef as ts-mls computes it.</summary>
public sealed record MlsPeerKeyPackage(byte[] KeyPackage, byte[] KeyPackageRef);
