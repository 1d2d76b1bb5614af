namespace Mimi.Discovery.Oprf;

/// <summary>Fixed sizes and costs of the RFC 9497 suite P256-SHA256, the only suite this library implements.</summary>
public static class OprfSuite
{
    /// <summary>The RFC 9497 ciphersuite identifier.</summary>
    public const string Identifier = "P256-SHA256";

    /// <summary>Length of a serialized group element (compressed SEC1 point), Ne.</summary>
    public const int ElementLength = 33;

    /// <summary>Length of a serialized scalar (big-endian, below the group order), Ns.</summary>
    public const int ScalarLength = 32;

    /// <summary>Length of a serialized DLEQ proof: the challenge scalar then the response scalar.</summary>
    public const int ProofLength = 2 * ScalarLength;

    /// <summary>Length of an OPRF output, Nh (SHA-256).</summary>
    public const int OutputLength = 32;

    /// <summary>Length of the seed DeriveKeyPair takes.</summary>
    public const int SeedLength = 32;

    /// <summary>Largest batch the wire format can carry (its count is a 2-byte integer).</summary>
    public const int MaxBatchSize = ushort.MaxValue;

    /// <summary>Longest input the protocol can hash (its length is framed in 2 bytes).</summary>
    public const int MaxInputLength = ushort.MaxValue;

    /// <summary>
    /// P-256 scalar multiplications the server performs for one verifiable (VOPRF) evaluation of a batch of one
    /// blinded element C, evaluation and DLEQ proof together:
    /// <list type="number">
    /// <item><description>the evaluation D = k·C;</description></item>
    /// <item><description>the composite M = d·C (d hashed from the transcript);</description></item>
    /// <item><description>the composite Z = k·M (ComputeCompositesFast: the server knows k, so no d·D);</description></item>
    /// <item><description>the commitment t3 = r·M;</description></item>
    /// <item><description>the commitment t2 = r·G, on the generator.</description></item>
    /// </list>
    /// The first four are variable-base multiplications (k·C and d·C share one precomputed window table, Z and t3
    /// share M's); the fifth uses a fixed-base comb and costs about a third of a variable-base one. Base mode (OPRF)
    /// needs only the first. A batch of n elements costs n evaluations, one multi-scalar multiplication for M, and
    /// the same three multiplications for Z, t2 and t3.
    /// </summary>
    public const int ScalarMultiplicationsPerEvaluation = 5;
}
