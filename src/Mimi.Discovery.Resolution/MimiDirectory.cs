using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Mimi.Discovery.Resolution;

/// <summary>A validated MIMI directory document: URL templates for the known endpoints.</summary>
public sealed class MimiDirectory
{
    private static readonly Dictionary<string, MimiEndpoint> ByName = new(StringComparer.Ordinal)
    {
        ["keyMaterial"] = MimiEndpoint.KeyMaterial,
        ["update"] = MimiEndpoint.Update,
        ["notify"] = MimiEndpoint.Notify,
        ["submitMessage"] = MimiEndpoint.SubmitMessage,
        ["groupInfo"] = MimiEndpoint.GroupInfo,
        ["requestConsent"] = MimiEndpoint.RequestConsent,
        ["updateConsent"] = MimiEndpoint.UpdateConsent,
        ["identifierQuery"] = MimiEndpoint.IdentifierQuery,
        ["reportAbuse"] = MimiEndpoint.ReportAbuse,
        ["proxyDownload"] = MimiEndpoint.ProxyDownload,
        ["roomState"] = MimiEndpoint.RoomState,
    };

    internal MimiDirectory(Uri source, IReadOnlyDictionary<MimiEndpoint, string> endpoints, IReadOnlyList<string> ignoredMembers)
    {
        Source = source;
        Endpoints = endpoints;
        IgnoredMembers = ignoredMembers;
    }

    /// <summary>The <c>/.well-known/mimi-protocol-directory</c> URL the document came from.</summary>
    public Uri Source { get; }

    /// <summary>URL templates by endpoint, as published (for example <c>https://mimi.example/v1/keyMaterial/{targetUser}</c>).</summary>
    public IReadOnlyDictionary<MimiEndpoint, string> Endpoints { get; }

    /// <summary>Members of the document that name no known endpoint; they are ignored.</summary>
    public IReadOnlyList<string> IgnoredMembers { get; }

    /// <summary>The JSON member name of <paramref name="endpoint"/> (for example <c>requestConsent</c>).</summary>
    public static string NameOf(MimiEndpoint endpoint) =>
        ByName.First(pair => pair.Value == endpoint).Key;

    /// <summary>Looks up the endpoint named by a JSON member name.</summary>
    public static bool TryParseName(string name, out MimiEndpoint endpoint) => ByName.TryGetValue(name, out endpoint);

    /// <summary>Gets the URL template for <paramref name="endpoint"/>, if the document has one.</summary>
    public bool TryGetTemplate(MimiEndpoint endpoint, [NotNullWhen(true)] out string? template) =>
        Endpoints.TryGetValue(endpoint, out template);

    /// <summary>
    /// Fills every <c>{variable}</c> of the endpoint's template with <paramref name="value"/>, percent-encoded
    /// (so it cannot change the host), and returns the URL; <see langword="null"/> when the document has no such endpoint.
    /// </summary>
    public Uri? Expand(MimiEndpoint endpoint, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!TryGetTemplate(endpoint, out var template))
        {
            return null;
        }

        var escaped = Uri.EscapeDataString(value);
        var builder = new StringBuilder(template.Length + escaped.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            builder.Append(template, i, open - i).Append(escaped);
            i = close + 1;
        }

        return new Uri(builder.ToString(), UriKind.Absolute);
    }
}
