using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>Private lookup: evaluation quota, bucket size and batch limits.</summary>
internal sealed partial class PrivateLookupOptions
{
    public const string Section = "PrivateLookup";

    /// <summary>
    /// Whether the operator offers private lookups. Off: no endpoints, and no OPRF record per mapping (each costs an
    /// evaluation, about five ECDSA signatures of CPU), for operators that offer plain lookups only.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>OPRF evaluations (blinded identifiers) a requester may have per <see cref="Window"/>: the bound on enumeration (R8).</summary>
    [Range(0, int.MaxValue)]
    public int EvaluationsPerRequester { get; set; } = 10_000;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bucket fetches a requester may make per <see cref="Window"/> (a re-sync fetches one per identifier at most).</summary>
    [Range(0, int.MaxValue)]
    public int BucketFetchesPerRequester { get; set; } = 20_000;

    /// <summary>k: every bucket answer holds at least this many records, real or decoy.</summary>
    [Range(1, 1024)]
    public int BucketSize { get; set; } = 32;

    /// <summary>How many leading bits of the lookup tag name a bucket. Changing it takes effect with the next key rotation.</summary>
    [Range(1, 24)]
    public int PrefixBits { get; set; } = 16;

    /// <summary>How often mappings without a record (bulk imports) get theirs, and how soon an interrupted rebuild resumes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Blinded identifiers in one evaluation request.</summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 100;

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<PrivateLookupOptions>;
}
