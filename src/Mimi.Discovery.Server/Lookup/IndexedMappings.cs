namespace Mimi.Discovery.Server.Lookup;

/// <summary>The mappings of one identifier in the index, without an array for the usual single one.</summary>
internal readonly struct IndexedMappings(object? value)
{
    public int Count => value switch { null => 0, IndexedMapping => 1, _ => ((IndexedMapping[])value).Length };

    public IndexedMapping this[int i] => value as IndexedMapping ?? ((IndexedMapping[])value!)[i];
}
