namespace Mimi.Discovery.Transparency.Tests.Witnessing;

/// <summary>The client's check of a checkpoint: the log's signature, then a quorum of distinct configured witnesses.</summary>
public sealed class CheckpointTrustTests
{
    private static readonly NoteSigner Log = NoteSigner.Generate("log.example/mimi");
    private static readonly Cosigner W1 = Cosigner.Generate("witness.example/w1");
    private static readonly Cosigner W2 = Cosigner.Generate("witness.example/w2");
    private static readonly Cosigner W3 = Cosigner.Generate("witness.example/w3");
    private static readonly Checkpoint Checkpoint = new("log.example/mimi", 42, MerkleHash.LeafHash("root"u8));

    [Fact]
    public void Quorum_zero_checks_the_log_signature_only_and_ignores_cosignature_lines()
    {
        var trust = CheckpointTrust.Create(Log.VerifierKey, []);

        var result = trust.Verify(Cosigned(W1));

        Assert.True(result.IsTrusted, result.Reason);
        Assert.Equal(Checkpoint, result.Checkpoint);
        Assert.Equal(Checkpoint.Format(), result.Body);
        Assert.Empty(result.Cosignatures);
    }

    [Fact]
    public void The_quorum_counts_distinct_configured_witnesses_and_its_failure_names_n_of_m()
    {
        var trust = CheckpointTrust.Create(Log.VerifierKey, [W1.VerifierKey, W2.VerifierKey, W3.VerifierKey], quorum: 2);

        var two = trust.Verify(Cosigned(W1, W2));
        var oneTwice = trust.Verify(Cosigned(W1, W1));
        var strangers = trust.Verify(Cosigned(W1, Cosigner.Generate("witness.example/w2")));

        Assert.True(two.IsTrusted, two.Reason);
        Assert.Equal(["witness.example/w1", "witness.example/w2"], two.Cosignatures.Select(c => c.Name));
        Assert.Equal(CheckpointTrustStatus.Quorum, oneTwice.Status);
        Assert.Contains("quorum not met: 1 of the 2 required cosignatures (from 3 configured witnesses)", oneTwice.Reason, StringComparison.Ordinal);
        Assert.Equal(Checkpoint, oneTwice.Checkpoint);
        // A key nobody configured, even under a configured name, does not count.
        Assert.Equal(CheckpointTrustStatus.Quorum, strangers.Status);
    }

    [Fact]
    public void The_quorum_defaults_to_every_witness_given_and_cannot_exceed_them()
    {
        var trust = CheckpointTrust.Create(Log.VerifierKey, [W1.VerifierKey, W2.VerifierKey, W1.VerifierKey]);

        Assert.Equal(2, trust.Quorum);
        Assert.Equal(2, trust.Witnesses.Count);
        Assert.Equal(CheckpointTrustStatus.Quorum, trust.Verify(Cosigned(W1)).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointTrust.Create(Log.VerifierKey, [W1.VerifierKey], quorum: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointTrust.Create(Log.VerifierKey, [], quorum: -1));
        Assert.Throws<FormatException>(() => CheckpointTrust.Create(Log.VerifierKey, [Log.VerifierKey]));
        Assert.Throws<FormatException>(() => CheckpointTrust.Create(W1.VerifierKey, []));
    }

    [Fact]
    public void A_forged_cosignature_of_a_configured_witness_fails_naming_it()
    {
        var trust = CheckpointTrust.Create(Log.VerifierKey, [W1.VerifierKey, W2.VerifierKey], quorum: 1);
        var other = new Checkpoint("log.example/mimi", 43, MerkleHash.LeafHash("fork"u8));
        var note = SignedNote.Sign(Checkpoint.Format(), Log) + W1.Sign(other, 1).Format() + W2.Sign(Checkpoint, 1).Format();

        var result = trust.Verify(note);

        Assert.Equal(CheckpointTrustStatus.BadCosignature, result.Status);
        Assert.Contains("witness.example/w1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_log_signature_nothing_counts()
    {
        var trust = CheckpointTrust.Create(Log.VerifierKey, [W1.VerifierKey], quorum: 1);
        var otherLog = NoteSigner.Generate("log.example/mimi");
        var forged = SignedNote.Sign(Checkpoint.Format(), otherLog) + W1.Sign(Checkpoint, 1).Format();
        var altered = Cosigned(W1).Replace("\n42\n", "\n43\n", StringComparison.Ordinal);

        Assert.Equal(CheckpointTrustStatus.LogSignature, trust.Verify(forged).Status);
        Assert.Equal(CheckpointTrustStatus.LogSignature, trust.Verify(altered).Status);
        Assert.Equal(CheckpointTrustStatus.Malformed, trust.Verify("log.example/mimi\n42\n").Status);
        Assert.Null(trust.Verify(forged).Checkpoint);
    }

    private static string Cosigned(params Cosigner[] witnesses) =>
        SignedNote.Sign(Checkpoint.Format(), Log) + string.Concat(witnesses.Select((w, i) => w.Sign(Checkpoint, 1_700_000_000 + i).Format()));
}
