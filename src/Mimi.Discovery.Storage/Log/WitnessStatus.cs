namespace Mimi.Discovery.Storage;

/// <summary>Where witnessing stands (<see cref="WitnessStore.GetStatusAsync"/>).</summary>
/// <param name="NewestCheckpoint">The size of the newest checkpoint sent to the witnesses, or null when none was.</param>
/// <param name="CosignersOfNewest">The verifier keys, among those asked about, that cosigned the newest checkpoint.</param>
/// <param name="LastCosignedAt">When each witness asked about last returned a cosignature (absent: never).</param>
public sealed record WitnessStatus(long? NewestCheckpoint, IReadOnlySet<string> CosignersOfNewest, IReadOnlyDictionary<string, DateTimeOffset> LastCosignedAt);
