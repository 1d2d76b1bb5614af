using System.Net;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Peers;

internal sealed class ResolutionOptionsValidator : IValidateOptions<ResolutionOptions>
{
    public ValidateOptionsResult Validate(string? name, ResolutionOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.NameServers.Count; i++)
        {
            if (!IPEndPoint.TryParse(options.NameServers[i], out var endpoint) || endpoint.Port == 0)
            {
                failures.Add($"Resolution:NameServers:{i} must be address:port (got '{options.NameServers[i]}').");
            }
        }

        for (var i = 0; i < options.AllowedAddressRanges.Count; i++)
        {
            if (!IPNetwork.TryParse(options.AllowedAddressRanges[i], out _))
            {
                failures.Add($"Resolution:AllowedAddressRanges:{i} must be a CIDR range (got '{options.AllowedAddressRanges[i]}').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
