namespace Mimi.Discovery.Resolution;

/// <summary>What <see cref="DirectoryDocument.Parse"/> found: the document, or the status and reason it was refused.</summary>
internal sealed record DirectoryParse(DirectoryStatus Status, MimiDirectory? Directory, string? Error);
