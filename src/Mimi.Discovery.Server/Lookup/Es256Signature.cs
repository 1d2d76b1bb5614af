using System.Runtime.CompilerServices;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>The raw r‖s of an ES256 signature, held inline in its mapping (no array object per mapping).</summary>
[InlineArray(Length)]
internal struct Es256Signature
{
    public const int Length = 64;

    private byte _first;
}
