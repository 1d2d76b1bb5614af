using DnsClient;

namespace Mimi.Discovery.Resolution;

/// <summary>One DNS answer, classified; <see cref="Response"/> is set whenever a server replied.</summary>
internal sealed record DnsAnswer(DnsOutcome Outcome, IDnsQueryResponse? Response, string Detail);
