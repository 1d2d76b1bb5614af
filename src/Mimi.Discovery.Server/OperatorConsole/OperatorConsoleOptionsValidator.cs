using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.OperatorConsole;

internal sealed class OperatorConsoleOptionsValidator : IValidateOptions<OperatorConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorConsoleOptions options)
    {
        if (options.PublicUrl is { } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")
                || parsed.Query.Length > 0 || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0))
        {
            return ValidateOptionsResult.Fail($"Console:PublicUrl ('{url}') must be an absolute http or https URL without query, fragment or user info.");
        }

        return ValidateOptionsResult.Success;
    }
}
