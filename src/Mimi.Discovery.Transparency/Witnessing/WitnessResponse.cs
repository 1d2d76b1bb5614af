namespace Mimi.Discovery.Transparency;

/// <summary>A witness's answer to <c>add-checkpoint</c>: the outcome (its value is the HTTP status), the content type and the body.</summary>
/// <param name="Outcome">What the witness decided.</param>
/// <param name="ContentType">The body's media type: <c>text/x.tlog.size</c> for a 409, plain text otherwise.</param>
/// <param name="Body">The cosignature line (200), the witness's size and a newline (409), or a one-line reason.</param>
public sealed record WitnessResponse(WitnessOutcome Outcome, string ContentType, string Body)
{
    /// <summary>The media type of a 409's body: the witness's tree size in decimal and a newline.</summary>
    public const string SizeContentType = "text/x.tlog.size";

    /// <summary>The media type of every other answer.</summary>
    public const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>The HTTP status code.</summary>
    public int StatusCode => (int)Outcome;

    /// <summary>The submitted checkpoint once its log signature verified (for the witness's own log); null before that.</summary>
    public Checkpoint? Checkpoint { get; init; }
}
