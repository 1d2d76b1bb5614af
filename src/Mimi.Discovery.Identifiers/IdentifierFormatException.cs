namespace Mimi.Discovery.Identifiers;

/// <summary>Thrown by <see cref="Sii.Parse(string)"/> and <see cref="Ssi.Parse(string)"/> for a malformed identifier.</summary>
public sealed class IdentifierFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>; its message is the error's message.</summary>
    public IdentifierFormatException(IdentifierError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Why the identifier was rejected.</summary>
    public IdentifierError Error { get; }
}
