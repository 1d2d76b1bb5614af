namespace Mimi.Discovery.Storage;

/// <summary>
/// A provider-to-provider request waiting to be delivered: the destination provider domain, the MIMI endpoint
/// (its directory-document name, e.g. <c>notify</c>), the value that fills the endpoint's URL template (a room or
/// user URI) and the TLS-encoded body. <see cref="MessageId"/> travels as the <c>Mimi-Message-Id</c> header so the
/// destination processes a retried delivery once.
/// </summary>
public sealed record OutboxMessage(
    long Sequence,
    string MessageId,
    string Destination,
    string Endpoint,
    string Target,
    byte[] Body,
    int Attempts,
    DateTimeOffset CreatedAt);
