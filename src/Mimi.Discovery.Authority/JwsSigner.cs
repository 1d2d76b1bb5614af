namespace Mimi.Discovery.Authority;

/// <summary>Writes the <see cref="CompactJws.SignatureLength"/>-byte signature of <paramref name="signingInput"/> into <paramref name="signature"/>.</summary>
/// <param name="signingInput">The ASCII header and payload parts with the dot between.</param>
/// <param name="signature">Where the signature goes; exactly <see cref="CompactJws.SignatureLength"/> bytes.</param>
public delegate void JwsSigner(ReadOnlySpan<byte> signingInput, Span<byte> signature);
