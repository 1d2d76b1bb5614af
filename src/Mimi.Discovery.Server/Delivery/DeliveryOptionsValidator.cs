using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>What data annotations cannot say: the domain, URLs and the key file (nested sections: <see cref="DeliveryOptions.Annotations"/>).</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        if (!ProviderDomain.TryNormalize(options.Domain, out _, out var error))
        {
            failures.Add($"Delivery:Domain is not a provider domain: {error.Message}");
        }

        foreach (var (setting, value) in new[] { ("PublicUrl", options.PublicUrl), ("DirectoryUrl", options.DirectoryUrl) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            {
                failures.Add($"Delivery:{setting} must be an absolute http(s) URL (got '{value}').");
            }
        }

        if (options.ProviderKeyFile is null)
        {
            failures.Add("Delivery:ProviderKeyFile is required when Delivery:Domain is set: it signs this provider's requests to peers.");
        }
        else if (!File.Exists(options.ProviderKeyFile))
        {
            failures.Add($"Delivery:ProviderKeyFile '{options.ProviderKeyFile}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
