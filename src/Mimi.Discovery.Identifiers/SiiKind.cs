namespace Mimi.Discovery.Identifiers;

/// <summary>The kinds of service-independent identifier.</summary>
public enum SiiKind
{
    /// <summary>A global telephone number, <c>tel:+15550001111</c> (RFC 3966), normalized to E.164.</summary>
    Tel = 1,

    /// <summary>One email address, <c>mailto:alice@a.example</c> (RFC 6068).</summary>
    Mailto = 2,

    /// <summary>A messaging handle, <c>im:alice@a.example</c>.</summary>
    Im = 3,
}
