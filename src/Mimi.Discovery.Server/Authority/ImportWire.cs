namespace Mimi.Discovery.Server.Authority;

/// <summary>One line of an import.</summary>
internal sealed record ImportRow(string? Sii, string? Ssi, string? PublicKey, string[]? Tags);

/// <summary>A rejected line: its number (from 1), the field at fault, a stable code and a readable reason.</summary>
internal sealed record ImportError(long Line, string Field, string Code, string Detail);

/// <summary>
/// The outcome of an import upload. <see cref="Errors"/> is capped; <see cref="Rejected"/> counts every rejected line;
/// <see cref="Skipped"/> counts lines a resumed import had committed before; <see cref="LastLine"/> is the last line read.
/// </summary>
internal sealed record ImportSummary(long Imported, long Rejected, ImportError[] Errors, long? FirstLogIndex, long? LastLogIndex,
    string? ImportId, long Skipped, long LastLine);

/// <summary>What a resumable import has committed (lines 1 to <see cref="ThroughLine"/> are done).</summary>
internal sealed record ImportProgressView(string ImportId, long ThroughLine, long Imported, long Rejected, long? FirstLogIndex, long? LastLogIndex,
    DateTimeOffset UpdatedAt);
