namespace Mimi.Discovery.Client;

/// <summary>A user hosted by a provider instance, with its consent mode (open, quarantine, consent-required).</summary>
public sealed record HostedUserInfo(string User, string ConsentMode, DateTimeOffset CreatedAt);
