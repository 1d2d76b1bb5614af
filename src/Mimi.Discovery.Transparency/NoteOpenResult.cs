namespace Mimi.Discovery.Transparency;

/// <summary>The outcome of <see cref="SignedNote.Open"/>: the verified text, or why there is none.</summary>
public sealed class NoteOpenResult
{
    private NoteOpenResult(NoteStatus status, string? text, IReadOnlyList<NoteVerifier> verifiedBy)
    {
        Status = status;
        Text = text;
        VerifiedBy = verifiedBy;
    }

    /// <summary>What opening found.</summary>
    public NoteStatus Status { get; }

    /// <summary>Whether the note verified; only then is <see cref="Text"/> set.</summary>
    public bool IsVerified => Status == NoteStatus.Verified;

    /// <summary>The note text (ending in a newline, without the blank line and signatures) when verified.</summary>
    public string? Text { get; }

    /// <summary>The known keys whose signatures verified.</summary>
    public IReadOnlyList<NoteVerifier> VerifiedBy { get; }

    internal static NoteOpenResult Verified(string text, IReadOnlyList<NoteVerifier> verifiedBy) => new(NoteStatus.Verified, text, verifiedBy);

    internal static NoteOpenResult Failed(NoteStatus status) => new(status, null, []);

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();
}
