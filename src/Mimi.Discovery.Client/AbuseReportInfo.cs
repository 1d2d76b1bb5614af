namespace Mimi.Discovery.Client;

/// <summary>An abuse report as this instance's operator sees it.</summary>
public sealed record AbuseReportInfo(long Id, string Source, string Room, string ReportingUser, string AllegedAbuser, int Reason, string Note, int MessageCount, DateTimeOffset ReceivedAt);
