namespace Mimi.Discovery.Resolution;

/// <summary>How one DNS question ended.</summary>
internal enum DnsOutcome
{
    Answer,
    NameError,
    NoData,
    Timeout,
    Failure,
}
