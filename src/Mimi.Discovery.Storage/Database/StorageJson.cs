using System.Text.Json.Serialization;

namespace Mimi.Discovery.Storage;

/// <summary>Source-generated JSON for the list columns (tags, allowed providers), stored as JSON arrays of strings.</summary>
[JsonSerializable(typeof(string[]), TypeInfoPropertyName = "StringArray")]
internal sealed partial class StorageJson : JsonSerializerContext;
