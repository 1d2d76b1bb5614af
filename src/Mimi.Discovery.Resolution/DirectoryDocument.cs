using System.Text.Json;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Resolution;

/// <summary>Parses and validates a <c>/.well-known/mimi-protocol-directory</c> body.</summary>
internal static class DirectoryDocument
{
    private const int MaxTemplateLength = 2048;

    public static DirectoryParse Parse(ReadOnlyMemory<byte> body, Uri source, IReadOnlyCollection<string> expectedHosts, bool allowHttp)
    {
        if (!UntrustedJson.TryParse(body, out var document, out var error))
        {
            return Fail(DirectoryStatus.InvalidJson, $"{source} did not return JSON: {error}");
        }

        using (document)
        {
            return Read(document.RootElement, source, expectedHosts, allowHttp);
        }
    }

    private static DirectoryParse Read(JsonElement root, Uri source, IReadOnlyCollection<string> expectedHosts, bool allowHttp)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(DirectoryStatus.InvalidDocument, $"{source} returned a JSON {root.ValueKind}, not an object");
        }

        var endpoints = new Dictionary<MimiEndpoint, string>();
        var ignored = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                return Fail(DirectoryStatus.InvalidDocument, $"member '{member.Name}' appears twice");
            }

            if (!MimiDirectory.TryParseName(member.Name, out var endpoint))
            {
                ignored.Add(member.Name);
                continue;
            }

            if (member.Value.ValueKind != JsonValueKind.String)
            {
                return Fail(DirectoryStatus.InvalidDocument, $"endpoint '{member.Name}' is a JSON {member.Value.ValueKind}, not a URL string");
            }

            var template = member.Value.GetString()!;
            var problem = CheckTemplate(template, expectedHosts, allowHttp);
            if (problem is not null)
            {
                return Fail(DirectoryStatus.InvalidDocument, $"endpoint '{member.Name}': {problem}");
            }

            endpoints[endpoint] = template;
        }

        if (endpoints.Count == 0)
        {
            return Fail(DirectoryStatus.InvalidDocument, "the document names no known endpoint");
        }

        return new DirectoryParse(DirectoryStatus.Ok, new MimiDirectory(source, endpoints, ignored), null);
    }

    /// <summary>Returns null when <paramref name="template"/> is an acceptable endpoint URL template, else the problem.</summary>
    internal static string? CheckTemplate(string template, IReadOnlyCollection<string> expectedHosts, bool allowHttp)
    {
        if (template.Length > MaxTemplateLength)
        {
            return $"URL longer than {MaxTemplateLength} characters";
        }

        var probe = SubstituteVariables(template, out var problem);
        if (probe is null)
        {
            return problem;
        }

        // The "://" check matters on Unix, where Uri reads "/path" as an absolute file URI.
        if (!probe.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(probe, UriKind.Absolute, out var uri))
        {
            return $"'{template}' is not an absolute URL";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return $"'{template}' uses '{uri.Scheme}'; only https is allowed";
        }

        if (uri.UserInfo.Length > 0)
        {
            return $"'{template}' carries user information";
        }

        // Variables belong in the path or query: the authority must be fixed text.
        var authorityEnd = template.IndexOf('/', uri.Scheme.Length + 3);
        var firstBrace = template.IndexOf('{', StringComparison.Ordinal);
        if (firstBrace >= 0 && (authorityEnd < 0 || firstBrace < authorityEnd))
        {
            return $"'{template}' has a variable in its host or port";
        }

        var host = DomainName.FromDns(uri.IdnHost);
        if (!expectedHosts.Contains(host, StringComparer.Ordinal))
        {
            return $"'{template}' points at host '{host}', expected {string.Join(" or ", expectedHosts.Distinct())}";
        }

        return null;
    }

    /// <summary>Replaces each <c>{name}</c> by a harmless value so the template can be parsed as a URL.</summary>
    private static string? SubstituteVariables(string template, out string? problem)
    {
        var builder = new System.Text.StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '}')
            {
                problem = $"'{template}' has an unmatched '}}'";
                return null;
            }

            if (c != '{')
            {
                builder.Append(c);
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                problem = $"'{template}' has an unmatched '{{'";
                return null;
            }

            var name = template.AsSpan(i + 1, close - i - 1);
            if (name.IsEmpty || !IsVariableName(name))
            {
                problem = $"'{template}' has an invalid variable '{{{name}}}'";
                return null;
            }

            builder.Append('x');
            i = close + 1;
        }

        problem = null;
        return builder.ToString();
    }

    private static bool IsVariableName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static DirectoryParse Fail(DirectoryStatus status, string error) => new(status, null, error);
}
