namespace Mimi.Discovery.Sandbox;

/// <summary>The result of <c>propose</c>: the standalone proposal (MLSMessage, a PublicMessage) and its ProposalRef (RFC 9420 §5.2) as ts-mls computes it.</summary>
public sealed record MlsPeerProposal(byte[] Message, byte[] ProposalRef);
