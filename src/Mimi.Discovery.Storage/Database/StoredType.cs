namespace Mimi.Discovery.Storage;

/// <summary>How a column's values are stored, as far as a bulk insert must say it (PostgreSQL's binary COPY is typed).</summary>
internal enum StoredType
{
    Text,
    Int64,
    Bytes,
}
