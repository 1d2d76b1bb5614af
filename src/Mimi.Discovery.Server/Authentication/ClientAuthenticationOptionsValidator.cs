using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authentication;

internal sealed class ClientAuthenticationOptionsValidator : IValidateOptions<ClientAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (options.TokenSigningKey is { } key && (!TryBase64(key, out var bytes) || bytes.Length < 32))
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

    private static bool TryBase64(string value, out byte[] bytes)
    {
        bytes = new byte[value.Length];
        if (Convert.TryFromBase64String(value, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
