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
