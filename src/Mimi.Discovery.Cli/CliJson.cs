using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mimi.Discovery.Cli;

/// <summary>The options of every JSON document the CLI prints or writes to a file.</summary>
internal static class CliJson
{
    /// <summary>
    /// Indented, camelCase, and with <c>+</c> and non-ASCII written as they are (the default encoder writes
    /// <c>tel:\u002B1555…</c>, which grep and eyes miss). The output is read by people, scripts and JSON parsers,
    /// never embedded in HTML, so the HTML-safe escaping buys nothing here.
    /// </summary>
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
