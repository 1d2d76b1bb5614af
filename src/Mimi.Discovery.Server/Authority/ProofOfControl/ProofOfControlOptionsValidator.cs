using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authority.ProofOfControl;

internal sealed class ProofOfControlOptionsValidator : IValidateOptions<ProofOfControlOptions>
{
    public ValidateOptionsResult Validate(string? name, ProofOfControlOptions options)
    {
        if (options.Gateway != GatewayKind.Http)
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.Http.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("ProofOfControl:Http:Url must be an absolute http(s) URL when ProofOfControl:Gateway is Http.");
    }
}
