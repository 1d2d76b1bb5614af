using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// What an HTTP layer needs to answer a body that failed to decode with a 400 problem (RFC 9457): a stable
/// <see cref="Code"/> for the problem type, a title, and a detail naming the message, field and offset. The
/// detail never echoes input bytes.
/// </summary>
public sealed record DecodeProblem(string Code, string Title, string Detail, string Field, int Offset)
{
    /// <summary>Describes <paramref name="error"/> for a body of type <paramref name="messageName"/>.</summary>
    public static DecodeProblem From(TlsError error, string messageName)
    {
        ArgumentNullException.ThrowIfNull(messageName);
        var title = error.Kind == TlsErrorKind.TotalSizeExceeded
            ? "The request body is too large."
            : $"The request body is not a valid {messageName}.";
        return new DecodeProblem(error.Code, title, error.Message, error.Field ?? "", error.Offset);
    }
}
