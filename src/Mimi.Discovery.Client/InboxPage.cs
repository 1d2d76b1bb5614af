namespace Mimi.Discovery.Client;

/// <summary>A page of inbox items and the last sequence number seen (pass it as <c>after</c> next time).</summary>
public sealed record InboxPage(InboxItem[] Items, long Last);
