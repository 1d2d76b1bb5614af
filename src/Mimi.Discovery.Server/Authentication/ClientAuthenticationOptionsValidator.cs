using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Authentication;

internal sealed class ClientAuthenticationOptionsValidator : IValidateOptions<ClientAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (options.TokenSigningKey is { } key && (!Base64Text.TryDecode(key, out var bytes) || bytes.Length < 32))
        {
            failures.Add("Authentication:TokenSigningKey must be base64 of at least 32 bytes.");
        }

        for (var i = 0; i < options.Operators.Count; i++)
        {
            var op = options.Operators[i];
            if (string.IsNullOrWhiteSpace(op.ClientId) || op.ClientId.Contains('.', StringComparison.Ordinal))
            {
                failures.Add($"Authentication:Operators:{i}:ClientId must be set and contain no dot (dotted ids are provider domains).");
            }

            if (op.Jwk is null == op.JwkFile is null)
            {
                failures.Add($"Authentication:Operators:{i} needs exactly one of Jwk or JwkFile.");
            }
            else if (op.JwkFile is { } file && !File.Exists(file))
            {
                failures.Add($"Authentication:Operators:{i}:JwkFile '{file}' does not exist.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
