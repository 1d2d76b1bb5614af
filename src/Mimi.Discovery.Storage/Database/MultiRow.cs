namespace Mimi.Discovery.Storage;

/// <summary>Multi-row VALUES lists with named parameters <c>@p{row}_{column}</c>, chunked under both databases' parameter limits.</summary>
internal static class MultiRow
{
    public const int ChunkSize = 200;

    public static string Parameter(int row, int column) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p{row}_{column}");

    public static string Values(int rows, int columns)
    {
        var text = new System.Text.StringBuilder(rows * columns * 8);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                text.Append(c == 0 ? "@p" : ", @p").Append(r).Append('_').Append(c);
            }

            text.Append(')');
        }

        return text.ToString();
    }
}
