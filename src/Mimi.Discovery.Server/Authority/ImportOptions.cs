using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authority;

/// <summary>Bulk import of verified mappings by trusted providers (<c>POST /v1/authority/import</c>).</summary>
internal sealed partial class ImportOptions
{
    public const string Section = "Import";

    /// <summary>The largest import body; far above <see cref="Hosting.RequestLimitOptions.MaxRequestBodyBytes"/>, for this endpoint only.</summary>
    [Range(1024, 1L << 40)]
    public long MaxBodyBytes { get; set; } = 1L << 30;

    /// <summary>The longest line; a longer one is rejected (and skipped) without stopping the import.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxLineBytes { get; set; } = 16 * 1024;

    /// <summary>Rows signed together and appended to the log in one transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Rejected rows listed in the answer; all of them are counted.</summary>
    [Range(0, 100_000)]
    public int MaxReportedErrors { get; set; } = 100;

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<ImportOptions>;
}
