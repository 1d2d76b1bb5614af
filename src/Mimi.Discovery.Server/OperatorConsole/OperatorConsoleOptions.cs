using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>The operator console under <c>/console</c>: whether it exists, and how long its sign-in links and sessions live.</summary>
internal sealed partial class OperatorConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Whether the console, its sign-in and its sessions exist at all (off: nothing of it is registered or mapped).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a link from <c>mimi console</c> can be used (once).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SignInLinkLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a console session lasts from sign-in; it ends sooner on sign-out.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The base URL the operator's browser reaches the service at (say <c>https://discovery.example</c>), for the
    /// sign-in links; without it, the scheme and host of the request that asked for the link.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<OperatorConsoleOptions>;
}
