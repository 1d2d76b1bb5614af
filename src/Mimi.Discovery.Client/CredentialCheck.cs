namespace Mimi.Discovery.Client;

/// <summary>One named check of <see cref="CredentialVerifier"/>: whether it passed and what it found.</summary>
public sealed record CredentialCheck(string Name, bool Passed, string Detail)
{
    /// <summary>The certificate chains to the configured root.</summary>
    public const string Chain = "chain";

    /// <summary>The VRF proof verifies for the certificate's identifier under the published key it names.</summary>
    public const string VrfProof = "vrf-proof";

    /// <summary>The proof in the certificate's extension, if any, is the one beside it.</summary>
    public const string Extension = "extension";

    /// <summary>The opening opens the entry's commitment, and the committed value names this certificate.</summary>
    public const string Commitment = "commitment";

    /// <summary>The entry at the log index carries the proof's output as its identifier index.</summary>
    public const string Index = "index";

    /// <summary>The entry is included in the tree of the checkpoint.</summary>
    public const string Inclusion = "inclusion";

    /// <summary>The checkpoint carries the log's signature and a quorum of the configured witnesses' cosignatures.</summary>
    public const string Checkpoint = "checkpoint";

    /// <inheritdoc/>
    public override string ToString() => $"{(Passed ? "ok" : "FAILED")} {Name}: {Detail}";
}
