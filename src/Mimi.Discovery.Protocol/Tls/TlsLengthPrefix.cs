namespace Mimi.Discovery.Protocol.Tls;

/// <summary>How a vector's length is encoded.</summary>
public enum TlsLengthPrefix
{
    /// <summary>RFC 9420 <c>&lt;V&gt;</c>: a minimal 1-, 2- or 4-byte variable-length integer (at most 2^30 - 1).</summary>
    Varint = 0,

    /// <summary>RFC 8446 <c>&lt;0..2^8-1&gt;</c>: one byte.</summary>
    UInt8 = 1,

    /// <summary>RFC 8446 <c>&lt;0..2^16-1&gt;</c>: two bytes.</summary>
    UInt16 = 2,

    /// <summary>RFC 8446 <c>&lt;0..2^24-1&gt;</c>: three bytes.</summary>
    UInt24 = 3,

    /// <summary>RFC 8446 <c>&lt;0..2^32-1&gt;</c>: four bytes (lengths above <see cref="int.MaxValue"/> are refused).</summary>
    UInt32 = 4,
}
