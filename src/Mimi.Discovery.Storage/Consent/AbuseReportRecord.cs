namespace Mimi.Discovery.Storage;

/// <summary>An abuse report as received.</summary>
public sealed record AbuseReportRecord(
    long Id, string Source, string Room, string ReportingUser, string AllegedAbuser, int Reason, string Note, int MessageCount, DateTimeOffset ReceivedAt);
