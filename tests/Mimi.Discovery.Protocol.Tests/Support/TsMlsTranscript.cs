using System.Text.Json;

namespace Mimi.Discovery.Protocol.Tests.Support;

/// <summary>
/// A fixed MLS transcript recorded with ts-mls by tests/peers/mls/transcript.mjs (its header documents the format):
/// the creator's epoch-0 GroupInfo and tree, then each commit or standalone proposal with the state ts-mls reports
/// after it. <see cref="RecordedAt"/> is when it was made; lifetimes in it are valid for seven days from then.
/// </summary>
internal sealed record TsMlsTranscript(int CipherSuite, string GroupId, long RecordedAt, TsMlsTranscriptCreation Creation, IReadOnlyList<TsMlsTranscriptStep> Steps)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { RespectRequiredConstructorParameters = true };

    /// <summary>A moment at which every leaf and KeyPackage of the transcript is within its lifetime.</summary>
    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeSeconds(RecordedAt);

    /// <summary>The transcripts' folder, tests/Mimi.Discovery.Protocol.Tests/Mls/Transcripts, found above the working directory or the binaries.</summary>
    public static string Directory
    {
        get
        {
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                {
                    var candidate = Path.Combine(directory.FullName, "tests", "Mimi.Discovery.Protocol.Tests", "Mls", "Transcripts");
                    if (System.IO.Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            throw new InvalidOperationException($"tests/Mimi.Discovery.Protocol.Tests/Mls/Transcripts not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The names of the stored transcripts (file names without .json), in order.</summary>
    public static IReadOnlyList<string> AllNames() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).Select(n => n!)];

    /// <summary>The names of the stored transcripts, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names() => [.. AllNames()];

    /// <summary>Loads a transcript by name, e.g. <c>adds-updates-removes-suite1</c>.</summary>
    public static TsMlsTranscript Load(string name) =>
        JsonSerializer.Deserialize<TsMlsTranscript>(File.ReadAllText(Path.Combine(Directory, name + ".json")), Json)
        ?? throw new InvalidOperationException($"transcript {name} is empty");
}

/// <summary>The creator's epoch-0 GroupInfo (MLSMessage) and TLS-encoded ratchet tree.</summary>
internal sealed record TsMlsTranscriptCreation(byte[] GroupInfo, byte[] RatchetTree);

/// <summary>
/// One step: a PublicMessage (<see cref="Kind"/> "commit" or "proposal"), the committer's GroupInfo and ratchet tree of
/// the new epoch (null for a proposal), and the state ts-mls reports after it (hashes in lowercase hex).
/// </summary>
internal sealed record TsMlsTranscriptStep(
    string Kind,
    string Label,
    byte[] Message,
    byte[]? GroupInfo,
    byte[]? RatchetTree,
    ulong Epoch,
    string TreeHash,
    string ConfirmedTranscriptHash,
    IReadOnlyList<string> Members)
{
    /// <summary>True for a commit, false for a standalone proposal.</summary>
    public bool IsCommit => Kind == "commit";
}
