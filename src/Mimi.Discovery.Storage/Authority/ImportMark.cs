namespace Mimi.Discovery.Storage;

/// <summary>
/// How far an import has got, recorded in the transaction of the batch that got it there: lines
/// [<paramref name="FirstLine"/>, <paramref name="ThroughLine"/>] of import <paramref name="ImportId"/> are done (their
/// good rows logged by this batch, <paramref name="Rejected"/> of them refused), so a resumed import never logs them again.
/// </summary>
public sealed record ImportMark(string Provider, string ImportId, long FirstLine, long ThroughLine, long Rejected);
