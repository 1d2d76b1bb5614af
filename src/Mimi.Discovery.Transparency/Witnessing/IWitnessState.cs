namespace Mimi.Discovery.Transparency;

/// <summary>
/// Where a <see cref="Witness"/> keeps, per log origin, the latest checkpoint it cosigned. The witness serializes its
/// calls (check and update happen under one lock), so an implementation need not; it must make
/// <see cref="SetAsync"/> durable before returning, because a cosignature is handed out only after it.
/// </summary>
public interface IWitnessState
{
    /// <summary>The latest checkpoint cosigned for <paramref name="origin"/>, or null if none was.</summary>
    ValueTask<Checkpoint?> GetAsync(string origin, CancellationToken ct);

    /// <summary>Records <paramref name="checkpoint"/> as the latest cosigned for its origin, durably.</summary>
    ValueTask SetAsync(Checkpoint checkpoint, CancellationToken ct);
}
