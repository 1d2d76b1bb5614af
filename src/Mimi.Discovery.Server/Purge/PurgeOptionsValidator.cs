using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Delivery;

namespace Mimi.Discovery.Server.Purge;

internal sealed class PurgeOptionsValidator(IOptions<DeliveryOptions> delivery) : IValidateOptions<PurgeOptions>
{
    public ValidateOptionsResult Validate(string? name, PurgeOptions options)
    {
        // A sender retries for up to its outbox's MaxAge: forgetting a message id (or a sent hash) sooner lets a retry through twice.
        var maxAge = delivery.Value.Outbox.MaxAge;
        var failures = new List<string>();
        foreach (var (setting, value) in new[] { ("InboundMessageRetention", options.InboundMessageRetention), ("SentMessageRetention", options.SentMessageRetention) })
        {
            if (value <= maxAge)
            {
                failures.Add($"Purge:{setting} ({value}) must be longer than Delivery:Outbox:MaxAge ({maxAge}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
