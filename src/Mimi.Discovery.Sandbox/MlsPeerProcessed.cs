namespace Mimi.Discovery.Sandbox;

/// <summary>
/// The result of <c>process</c>: <see cref="Kind"/> is <c>"application"</c> (with <see cref="Plaintext"/>),
/// <c>"commit"</c> or <c>"proposal"</c>; <see cref="Epoch"/> is the client's epoch afterwards.
/// </summary>
public sealed record MlsPeerProcessed(string Kind, ulong Epoch, byte[]? Plaintext);
