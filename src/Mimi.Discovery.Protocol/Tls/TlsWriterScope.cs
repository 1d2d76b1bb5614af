namespace Mimi.Discovery.Protocol.Tls;

/// <summary>An open length-prefixed vector in a <see cref="TlsWriter"/>; close it with <see cref="TlsWriter.EndVector"/>.</summary>
public readonly struct TlsWriterScope
{
    internal TlsWriterScope(int start, TlsLengthPrefix prefix, int maxLength)
    {
        Start = start;
        Prefix = prefix;
        MaxLength = maxLength;
    }

    internal int Start { get; }

    internal TlsLengthPrefix Prefix { get; }

    internal int MaxLength { get; }
}
