using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Consent;

internal sealed class ConsentOptionsValidator : IValidateOptions<ConsentOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsentOptions options) =>
        options.MaxPendingPerRequesterDomain > options.MaxPendingPerTarget
            ? ValidateOptionsResult.Fail(
                $"Consent:MaxPendingPerRequesterDomain ({options.MaxPendingPerRequesterDomain}) must not exceed Consent:MaxPendingPerTarget ({options.MaxPendingPerTarget}).")
            : ValidateOptionsResult.Success;
}
