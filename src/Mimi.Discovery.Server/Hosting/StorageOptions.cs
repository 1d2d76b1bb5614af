using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>Where state lives. The embedded default is a SQLite file in <see cref="DataDirectory"/>.</summary>
internal sealed partial class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Npgsql connection string; required when <see cref="Provider"/> is Postgres.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<StorageOptions>;
}
