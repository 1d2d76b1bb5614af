using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authority;

internal sealed class AuthorityOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthorityOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthorityOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            return ValidateOptionsResult.Fail(
                $"Authority:Issuer is not set and cannot default to the listening address: {DefaultIssuer.Resolve(configuration).Problem}. " +
                "Set Authority:Issuer to the service's public base URL (e.g. https://discovery.example.net).");
        }

        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            return ValidateOptionsResult.Fail($"Authority:Issuer must be an absolute http(s) URL without query or fragment (got '{options.Issuer}').");
        }

        return ValidateOptionsResult.Success;
    }
}
