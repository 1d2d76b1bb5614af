using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>How clients read their inbox.</summary>
internal sealed class InboxOptions
{
    /// <summary>The longest a long poll (<c>wait</c>) is held open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiting poll or stream re-reads the database (items written by another replica).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most items one read returns.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 100;
}
