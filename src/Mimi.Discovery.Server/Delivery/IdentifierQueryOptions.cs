using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The quota on other providers' <c>identifierQuery</c> calls: each answers whether a handle or nickname names a
/// discoverable user here, so unlimited queries would enumerate this provider's users.
/// </summary>
internal sealed class IdentifierQueryOptions
{
    /// <summary>Queries one requester provider may make per <see cref="Window"/>.</summary>
    [Range(1, 10_000_000)]
    public int PerRequester { get; set; } = 1000;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
