namespace Mimi.Discovery.Client;

/// <summary>The outcome of <see cref="CredentialVerifier.Verify"/>: every check, in order, and whether all passed.</summary>
public sealed record CredentialVerification(IReadOnlyList<CredentialCheck> Checks)
{
    /// <summary>Whether every check passed.</summary>
    public bool Ok => Checks.All(c => c.Passed);

    /// <summary>The checks that failed.</summary>
    public IEnumerable<CredentialCheck> Failed => Checks.Where(c => !c.Passed);

    /// <summary>The named check.</summary>
    public CredentialCheck this[string name] => Checks.First(c => c.Name == name);
}
