namespace Mimi.Discovery.Storage;

/// <summary>A table that is written many rows at a time (<see cref="SqlDialect.InsertManyAsync"/>): its name and typed columns.</summary>
internal sealed class BulkTable
{
    public BulkTable(string name, params (string Name, StoredType Type)[] columns)
    {
        Name = name;
        Types = columns.Select(c => c.Type).ToArray();
        ColumnList = string.Join(", ", columns.Select(c => c.Name));
    }

    public string Name { get; }

    /// <summary>The columns' names, comma-separated, in the order of every row's values.</summary>
    public string ColumnList { get; }

    public IReadOnlyList<StoredType> Types { get; }
}
