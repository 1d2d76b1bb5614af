namespace Mimi.Discovery.Transparency;

/// <summary>Sizes of ECVRF-P256-SHA256-TAI (RFC 9381 §5.5) that entries and credentials carry.</summary>
public static class EcVrfLengths
{
    /// <summary>The VRF output (beta): the identifier index.</summary>
    public const int Output = 32;

    /// <summary>A proof (pi): Gamma (33) ‖ c (16) ‖ s (32).</summary>
    public const int Proof = 81;
}
