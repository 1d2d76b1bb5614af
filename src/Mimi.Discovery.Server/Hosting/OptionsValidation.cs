using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>Cross-field checks the data annotations cannot express; each failure names its setting.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("Storage:ConnectionString is required when Storage:Provider is Postgres.")
            : ValidateOptionsResult.Success;
}

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
