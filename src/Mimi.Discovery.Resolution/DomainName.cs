using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Resolution;

/// <summary>Host-name checks: ASCII letters, digits and hyphens, labels of 1–63 characters, at most 253 in all.</summary>
internal static class DomainName
{
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? name, [NotNullWhen(false)] out string? problem)
    {
        name = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            problem = "the domain is empty";
            return false;
        }

        var candidate = input.Trim();
        if (candidate.EndsWith('.'))
        {
            candidate = candidate[..^1];
        }

        candidate = candidate.ToLowerInvariant();
        if (candidate.Length is 0 or > 253)
        {
            problem = $"'{input}' is not a host name (length {candidate.Length}, must be 1-253)";
            return false;
        }

        foreach (var label in candidate.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                problem = $"'{input}' has an empty or over-long label";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                problem = $"'{input}' has a label starting or ending with '-'";
                return false;
            }

            foreach (var c in label)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                {
                    problem = $"'{input}' contains '{c}': only letters, digits, '-' and '.' are allowed (use the A-label form for IDNs)";
                    return false;
                }
            }
        }

        name = candidate;
        problem = null;
        return true;
    }

    /// <summary>Lower case, without the trailing dot; <c>"."</c> becomes the empty string.</summary>
    public static string FromDns(string value) => value.TrimEnd('.').ToLowerInvariant();
}
