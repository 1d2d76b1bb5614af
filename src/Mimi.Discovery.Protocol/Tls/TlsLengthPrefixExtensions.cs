namespace Mimi.Discovery.Protocol.Tls;

internal static class TlsLengthPrefixExtensions
{
    public static int NaturalMaximum(this TlsLengthPrefix prefix) => prefix switch
    {
        TlsLengthPrefix.UInt8 => byte.MaxValue,
        TlsLengthPrefix.UInt16 => ushort.MaxValue,
        TlsLengthPrefix.UInt24 => (1 << 24) - 1,
        TlsLengthPrefix.UInt32 => int.MaxValue,
        _ => TlsVarint.MaxValue,
    };
}
