using System.Runtime.CompilerServices;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// The VRF proof (81 bytes) and the issuance opening (32 bytes) that the assertion of an indexed credential carries,
/// held inline in its mapping (no array objects per mapping).
/// </summary>
[InlineArray(Length)]
internal struct TransparencyParts
{
    public const int ProofLength = 81;
    public const int OpeningLength = 32;
    public const int Length = ProofLength + OpeningLength;

    private byte _first;
}
