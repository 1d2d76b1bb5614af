namespace Mimi.Discovery.Protocol.Tls;

/// <summary>Why a TLS presentation-language decode failed.</summary>
public enum TlsErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The input ended before the field was complete.</summary>
    Truncated,

    /// <summary>A vector length exceeds the maximum its declaration allows.</summary>
    LengthOverMaximum,

    /// <summary>The whole input is larger than the configured total size limit.</summary>
    TotalSizeExceeded,

    /// <summary>Bytes remain after the top-level structure (or inside a vector after its last element).</summary>
    TrailingBytes,

    /// <summary>An RFC 9420 variable-length integer used more bytes than necessary.</summary>
    NonMinimalVarint,

    /// <summary>An RFC 9420 variable-length integer starts with the invalid prefix <c>11</c>.</summary>
    InvalidVarint,

    /// <summary>An enumerated value the specification does not define, where that is an error.</summary>
    UnknownEnumValue,

    /// <summary>A field that must carry UTF-8 text does not.</summary>
    InvalidUtf8,

    /// <summary>A value that is syntactically readable but violates a rule of the specification.</summary>
    InvalidValue,
}
