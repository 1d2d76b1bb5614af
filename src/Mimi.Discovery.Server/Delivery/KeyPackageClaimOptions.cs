using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>Claims of this provider's users' KeyPackages by other providers: per requester provider and in total, per window.</summary>
internal sealed class KeyPackageClaimOptions
{
    /// <summary>Claims one requester provider may make per window (each claimed user counts once).</summary>
    [Range(1, 10_000_000)]
    public int PerRequester { get; set; } = 1000;

    /// <summary>Claims all requesters together may make per window.</summary>
    [Range(1, 100_000_000)]
    public int Total { get; set; } = 100_000;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
