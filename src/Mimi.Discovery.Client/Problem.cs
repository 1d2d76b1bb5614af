using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimi.Discovery.Client;

/// <summary>An RFC 9457 problem details body.</summary>
public sealed class Problem
{
    /// <summary>The stable problem type URI.</summary>
    public string? Type { get; init; }

    /// <summary>Short summary.</summary>
    public string? Title { get; init; }

    /// <summary>HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong, for a person.</summary>
    public string? Detail { get; init; }

    /// <summary>Extension members (field, code, error …).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
