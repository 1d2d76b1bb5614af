namespace Mimi.Discovery.Sandbox;

/// <summary>The MLS peer refused a request, exited or did not answer; the message includes node's stderr.</summary>
public sealed class MlsPeerException(string message) : Exception(message);
