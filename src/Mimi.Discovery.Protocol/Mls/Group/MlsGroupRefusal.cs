namespace Mimi.Discovery.Protocol;

/// <summary>Why the public group state refused a GroupInfo, proposal or commit: the check and a human-readable detail.</summary>
/// <param name="Check">The check that failed.</param>
/// <param name="Detail">What was wrong, for logs and problem details.</param>
public readonly record struct MlsGroupRefusal(MlsGroupCheck Check, string Detail)
{
    /// <summary>The check's name and the detail, as a problem detail carries them (<c>parent-hash: …</c>).</summary>
    public override string ToString() => $"{MlsGroupChecks.Name(Check)}: {Detail}";
}
