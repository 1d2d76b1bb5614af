using System.Text;

namespace Mimi.Discovery.Oprf;

/// <summary>The per-mode domain separation tags of RFC 9497, built once from its context string.</summary>
internal sealed class OprfContext
{
    private static readonly OprfContext OprfInstance = new(OprfMode.Oprf);
    private static readonly OprfContext VoprfInstance = new(OprfMode.Voprf);

    private OprfContext(OprfMode mode)
    {
        Mode = mode;

        // contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier
        byte[] contextString = [.. "OPRFV1-"u8, (byte)mode, .. "-"u8, .. Encoding.ASCII.GetBytes(OprfSuite.Identifier)];
        HashToGroupDst = [.. "HashToGroup-"u8, .. contextString];
        HashToScalarDst = [.. "HashToScalar-"u8, .. contextString];
        DeriveKeyPairDst = [.. "DeriveKeyPair"u8, .. contextString];
        SeedDst = [.. "Seed-"u8, .. contextString];
    }

    public OprfMode Mode { get; }

    public byte[] HashToGroupDst { get; }

    public byte[] HashToScalarDst { get; }

    public byte[] DeriveKeyPairDst { get; }

    public byte[] SeedDst { get; }

    public static ReadOnlySpan<byte> FinalizeLabel => "Finalize"u8;

    public static ReadOnlySpan<byte> CompositeLabel => "Composite"u8;

    public static ReadOnlySpan<byte> ChallengeLabel => "Challenge"u8;

    public static OprfContext For(OprfMode mode) => mode switch
    {
        OprfMode.Oprf => OprfInstance,
        OprfMode.Voprf => VoprfInstance,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Only the OPRF and VOPRF modes are supported."),
    };
}
