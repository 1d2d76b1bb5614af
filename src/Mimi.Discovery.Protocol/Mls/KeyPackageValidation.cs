namespace Mimi.Discovery.Protocol;

/// <summary>
/// The outcome of <see cref="KeyPackageValidator"/>: a problem code with a human-readable message, and the decoded
/// KeyPackage when decoding succeeded.
/// </summary>
/// <param name="Problem">What is wrong, or <see cref="KeyPackageProblem.None"/>.</param>
/// <param name="Message">What was found, in words (empty when valid).</param>
/// <param name="KeyPackage">The decoded KeyPackage, or <see langword="null"/> when the bytes did not decode.</param>
public readonly record struct KeyPackageValidation(KeyPackageProblem Problem, string Message, MlsKeyPackage? KeyPackage)
{
    /// <summary>Whether the KeyPackage passed every check.</summary>
    public bool IsValid => Problem == KeyPackageProblem.None;

    /// <summary>Whether the KeyPackage carries the <c>last_resort</c> extension (see <see cref="MlsKeyPackage.IsLastResort"/>).</summary>
    public bool IsLastResort => KeyPackage?.IsLastResort ?? false;

    internal static KeyPackageValidation Refuse(KeyPackageProblem problem, string message, MlsKeyPackage? keyPackage) =>
        new(problem, message, keyPackage);
}
