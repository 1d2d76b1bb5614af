namespace Mimi.Discovery.Storage;

/// <summary>A filter over the audit trail, read newest first. Every filter that is set must match.</summary>
/// <param name="Limit">At most this many records (1 to <see cref="MaxLimit"/>).</param>
/// <param name="Actor">Only acts by this actor id.</param>
/// <param name="Target">Only acts on this target.</param>
/// <param name="Action">Only acts of this action.</param>
/// <param name="Owner">Only acts concerning this provider (what a provider may read).</param>
/// <param name="Since">Only acts at or after this time.</param>
/// <param name="Until">Only acts at or before this time.</param>
/// <param name="Before">Only records with an id below this one (the cursor of the next page).</param>
public sealed record AuditQuery(
    int Limit,
    string? Actor = null,
    string? Target = null,
    string? Action = null,
    string? Owner = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    long? Before = null)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 500;
}
