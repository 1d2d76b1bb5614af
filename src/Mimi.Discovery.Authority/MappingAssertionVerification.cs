namespace Mimi.Discovery.Authority;

/// <summary>The result of <see cref="MappingAssertionVerifier.Verify"/>: a status and, when valid, the claims.</summary>
/// <param name="Status">What the verification found.</param>
/// <param name="Claims">The claims when <paramref name="Status"/> is <see cref="MappingAssertionStatus.Valid"/>.</param>
/// <param name="KeyId">The <c>kid</c> the assertion named, when it could be read.</param>
public readonly record struct MappingAssertionVerification(MappingAssertionStatus Status, MappingAssertionClaims? Claims, string? KeyId)
{
    /// <summary>True when the assertion is valid.</summary>
    public bool IsValid => Status == MappingAssertionStatus.Valid;
}
