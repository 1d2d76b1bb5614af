namespace Mimi.Discovery.Client;

/// <summary>What an auditor trusted last: the checkpoint and the right edge of the tree it verified.</summary>
public sealed record AuditState(string Origin, string VerifierKey, long Size, string Root, string[] Frontier, string Checkpoint);
