namespace Mimi.Discovery.Server.Log;

internal sealed record LogEntryView(long Index, string Data);

internal sealed record LogEntriesView(long TreeSize, LogEntryView[] Entries);

internal sealed record InclusionProofView(long Index, long TreeSize, string[] Hashes);

internal sealed record ConsistencyProofView(long From, long To, string[] Hashes);
