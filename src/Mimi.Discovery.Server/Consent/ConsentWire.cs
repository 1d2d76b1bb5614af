namespace Mimi.Discovery.Server.Consent;

internal sealed record ConsentTargetBody(string? Target, string? Room);

internal sealed record ConsentRequesterBody(string? Requester, string? Room);

internal sealed record BlockBody(string? User, string? Domain);

internal sealed record ConsentModeBody(string? Mode);

internal sealed record AbuseReportBody(string? Room, string? AllegedAbuser, int? Reason, string? Note);

internal sealed record OutgoingConsentView(string Target, string? Room, string State, DateTimeOffset? RequestedAt = null, DateTimeOffset? UpdatedAt = null);

internal sealed record IncomingConsentView(string Requester, string? Room, DateTimeOffset RequestedAt);

internal sealed record AbuseReportView(long Id, string Source, string Room, string ReportingUser, string AllegedAbuser, int Reason, string Note, int MessageCount, DateTimeOffset ReceivedAt);
