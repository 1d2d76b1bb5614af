namespace Mimi.Discovery.Protocol.Tls;

/// <summary>
/// A decode failure: what went wrong, in which field (a dotted path such as
/// <c>KeyMaterialResponse.clients[1].keyPackage.leaf_node.credential</c>) and at which byte offset of the input.
/// </summary>
public readonly record struct TlsError(TlsErrorKind Kind, string Field, int Offset, string? Detail = null)
{
    /// <summary>A stable, lower-case code for <see cref="Kind"/>, suitable for a problem type URI or a log field.</summary>
    public string Code => Kind switch
    {
        TlsErrorKind.None => "none",
        TlsErrorKind.Truncated => "truncated",
        TlsErrorKind.LengthOverMaximum => "length-over-maximum",
        TlsErrorKind.TotalSizeExceeded => "too-large",
        TlsErrorKind.TrailingBytes => "trailing-bytes",
        TlsErrorKind.NonMinimalVarint => "non-minimal-varint",
        TlsErrorKind.InvalidVarint => "invalid-varint",
        TlsErrorKind.UnknownEnumValue => "unknown-enum-value",
        TlsErrorKind.InvalidUtf8 => "invalid-utf8",
        TlsErrorKind.InvalidValue => "invalid-value",
        _ => "unknown",
    };

    /// <summary>A one-line human-readable description naming the field and the offset.</summary>
    public string Message
    {
        get
        {
            var what = Kind switch
            {
                TlsErrorKind.Truncated => "input ends before the field is complete",
                TlsErrorKind.LengthOverMaximum => "length exceeds the declared maximum",
                TlsErrorKind.TotalSizeExceeded => "body exceeds the size limit",
                TlsErrorKind.TrailingBytes => "unexpected bytes after the end of the structure",
                TlsErrorKind.NonMinimalVarint => "variable-length integer is not minimally encoded",
                TlsErrorKind.InvalidVarint => "variable-length integer has the invalid prefix 0b11",
                TlsErrorKind.UnknownEnumValue => "value is not defined for this field",
                TlsErrorKind.InvalidUtf8 => "field is not valid UTF-8",
                TlsErrorKind.InvalidValue => "value is not allowed here",
                _ => "no error",
            };
            return Detail is null
                ? $"{Field} at byte {Offset}: {what}"
                : $"{Field} at byte {Offset}: {what} ({Detail})";
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Message;

    internal TlsError WithPrefix(string prefix) =>
        this with { Field = Field.Length == 0 ? prefix : Field[0] == '[' ? prefix + Field : prefix + "." + Field };
}
