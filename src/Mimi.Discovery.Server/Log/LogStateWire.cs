namespace Mimi.Discovery.Server.Log;

/// <summary>
/// <c>GET /v1/log/state</c>: the head (<see cref="Size"/>, <see cref="Root"/>, base64), the checkpoint served (its size
/// and note, cosignature lines included), the witnesses and their quorum, the size of the newest checkpoint sent to
/// them, and this instance's last self-audit pass (null before the first) and whether no finding stands.
/// </summary>
internal sealed record LogStateView(long Size, string Root, long? CheckpointSize, string Checkpoint, int Quorum, WitnessStateView[] Witnesses,
    long? NewestSentToWitnesses, SelfAuditView? SelfAudit, bool Intact);

/// <summary>One configured witness: its name and URL, the largest size it cosigned, when it last cosigned, and whether it cosigned the newest checkpoint sent.</summary>
internal sealed record WitnessStateView(string Name, string Url, long? CosignedSize, DateTimeOffset? LastCosignedAt, bool CosignedNewest);

/// <summary>The last complete self-audit pass: when, over which size, and the findings standing after it.</summary>
internal sealed record SelfAuditView(DateTimeOffset CompletedAt, long Size, int Findings);
