using System.Text.Json.Nodes;

namespace Mimi.Discovery.Testing;

/// <summary>
/// The MLS working group's interop test vectors (RFC 9420), read from <c>../shared/vectors/mls-implementations</c> beside
/// the clone and never copied into it. Tests that use them are <see cref="MlsVectorFactAttribute"/>s.
/// </summary>
public static class MlsVectors
{
    /// <summary>The folder the vectors are read from.</summary>
    public static string Folder { get; } = Path.GetFullPath(Path.Combine(Tools.RepositoryRoot, "..", "shared", "vectors", "mls-implementations"));

    /// <summary>Whether the folder is here.</summary>
    public static bool Present => Directory.Exists(Folder);

    /// <summary>The entries of one vector file, by its name without <c>.json</c> (for example <c>tree-validation</c>).</summary>
    public static IReadOnlyList<JsonObject> Load(string name)
    {
        var path = Path.Combine(Folder, name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The MLS interop vectors are read from {Folder}; {name}.json is not there.", path);
        }

        return JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(node => node!.AsObject()).ToList();
    }

    /// <summary>A hex field of a vector entry as bytes.</summary>
    public static byte[] Hex(JsonObject entry, string field) => Convert.FromHexString((string?)entry[field] ?? throw new KeyNotFoundException(field));
}

/// <summary>
/// A fact over the MLS interop vectors: skipped, with a message naming the folder, only on a clone where the folder is
/// absent and not in CI (in CI the folder is always there, so a missing folder fails the test instead).
/// </summary>
public sealed class MlsVectorFactAttribute : FactAttribute
{
    /// <summary>Skips the test on a developer clone without the vectors folder.</summary>
    public MlsVectorFactAttribute()
    {
        if (!MlsVectors.Present && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"The MLS interop vectors are not at {MlsVectors.Folder}.";
        }
    }
}
