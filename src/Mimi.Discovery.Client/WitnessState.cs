namespace Mimi.Discovery.Client;

/// <summary>One configured witness of the log.</summary>
/// <param name="Name">The witness's key name.</param>
/// <param name="Url">Where the log asks it to cosign.</param>
/// <param name="CosignedSize">The largest tree size it cosigned, or null when it never did.</param>
/// <param name="LastCosignedAt">When it last returned a cosignature.</param>
/// <param name="CosignedNewest">Whether it cosigned the newest checkpoint sent.</param>
public sealed record WitnessState(string Name, string Url, long? CosignedSize, DateTimeOffset? LastCosignedAt, bool CosignedNewest);
