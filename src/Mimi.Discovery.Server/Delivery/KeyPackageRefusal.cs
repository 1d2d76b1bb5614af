using Mimi.Discovery.Protocol;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>Why an upload was refused: which KeyPackage (index in the batch) and the validator's verdict.</summary>
internal sealed record KeyPackageRefusal(int Index, KeyPackageProblem Problem, string Message);
