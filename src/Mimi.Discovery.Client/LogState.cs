namespace Mimi.Discovery.Client;

/// <summary>The issuance log as the operator sees it (<c>GET /v1/log/state</c>).</summary>
/// <param name="Size">Entries in the log.</param>
/// <param name="Root">The root hash of the whole log, base64.</param>
/// <param name="CheckpointSize">The size of the checkpoint served (smaller than <paramref name="Size"/> while witnesses have not cosigned the newest).</param>
/// <param name="Checkpoint">The checkpoint note served, with its cosignature lines.</param>
/// <param name="Quorum">How many witnesses must cosign.</param>
/// <param name="Witnesses">The configured witnesses.</param>
/// <param name="NewestSentToWitnesses">The size of the newest checkpoint sent to the witnesses.</param>
/// <param name="SelfAudit">The answering instance's last complete self-audit pass, or null before its first.</param>
/// <param name="Intact">Whether no integrity finding stands on the answering instance.</param>
public sealed record LogState(long Size, string Root, long? CheckpointSize, string Checkpoint, int Quorum, WitnessState[] Witnesses, long? NewestSentToWitnesses,
    SelfAuditState? SelfAudit, bool Intact);
