using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>Lookup limits: batch size and the operator's default quotas.</summary>
internal sealed partial class LookupOptions
{
    public const string Section = "Lookup";

    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 100;

    /// <summary>Identifiers new to a requester it may look up per <see cref="Window"/> (re-syncs of known ones are free).</summary>
    [Range(0, int.MaxValue)]
    public int LookupsPerRequester { get; set; } = 10_000;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Default per-owner limits when an owner has not set its own (null: no owner limit).</summary>
    public int? OwnerLookupsPerRequester { get; set; }

    public int? OwnerLookupsTotal { get; set; }

    /// <summary>
    /// How often each replica polls the database's change sequence to bring its in-memory lookup index up to date: the
    /// bound on how long a change made on another replica may stay unseen here (plus one query).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan IndexRefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<LookupOptions>;
}
