namespace Mimi.Discovery.Identifiers;

/// <summary>
/// Why an identifier was rejected: a stable machine-readable <see cref="Code"/>, the
/// <see cref="Part"/> of the identifier that is wrong, and a human-readable <see cref="Message"/>.
/// </summary>
/// <remarks>
/// The HTTP layer turns this into an RFC 9457 problem details body; <see cref="Code"/> and
/// <see cref="Part"/> are part of that contract and do not change between releases.
/// </remarks>
public sealed class IdentifierError : IEquatable<IdentifierError>
{
    internal IdentifierError(string code, string part, string message)
    {
        Code = code;
        Part = part;
        Message = message;
    }

    /// <summary>Stable error code, one of the constants in <see cref="IdentifierErrorCodes"/>, e.g. <c>tel.not-global</c>.</summary>
    public string Code { get; }

    /// <summary>The part of the identifier that is wrong, one of the constants in <see cref="IdentifierPart"/>.</summary>
    public string Part { get; }

    /// <summary>A sentence naming the problem and quoting the offending part.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public bool Equals(IdentifierError? other) =>
        other is not null
        && string.Equals(Code, other.Code, StringComparison.Ordinal)
        && string.Equals(Part, other.Part, StringComparison.Ordinal)
        && string.Equals(Message, other.Message, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdentifierError);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Code, Part, Message);

    /// <summary>Returns <c>code: message</c>.</summary>
    public override string ToString() => $"{Code}: {Message}";
}
