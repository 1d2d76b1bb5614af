using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>Request limits.</summary>
internal sealed partial class RequestLimitOptions
{
    public const string Section = "Limits";

    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The longest request target (path and query) answered; longer is a 414 problem. Kestrel itself is set to four
    /// times this, beyond which it refuses the request without a body.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestTargetBytes { get; set; } = 8 * 1024;

    /// <summary>The most header bytes (names and values) answered; more is a 431 problem. Kestrel itself is set to four times this.</summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>The most header fields answered; more is a 431 problem. Kestrel itself is set to four times this.</summary>
    [Range(16, 10_000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<RequestLimitOptions>;
}
